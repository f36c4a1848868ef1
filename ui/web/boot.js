// How the app starts in a page.
//
// Inside the Tauri app, the UI talks to Tauri and this only starts it. In a
// browser the client core runs in a dedicated worker (crates/web): this
// script takes the app's Web Lock first, so that one tab owns the cache
// (the others say so and take over when it closes), starts the worker, and
// gives the UI the same `core.invoke` and `event.listen` Tauri gives it, as
// `window.__ORDERDESK__`. The messages to and from the worker are
// `ToWorker` and `FromWorker` of orderdesk_protocol::ipc. It also shows the
// core's notifications as system notifications and registers the service
// worker that keeps the app available offline.
import init from "./ui.js";

const LOCK = "orderdesk-cache";
const NOTIFICATION_EVENT = "order-notification";
const LANG_KEY = "orderdesk-lang";

const TEXT = {
  ru: {
    busyTitle: "Обращения и заказы уже открыты в другой вкладке",
    busyText:
      "Данные и очередь действий хранит одна вкладка. Перейдите в неё или закройте её — эта вкладка продолжит работу сама.",
    unsupportedTitle: "Браузер не может хранить данные приложения",
    unsupportedText:
      "Нужны хранилище OPFS и Web Locks: откройте приложение в актуальном Chrome, Edge, Firefox или Safari. В приватном окне хранение может быть недоступно.",
    failedTitle: "Приложение не запустилось",
  },
  en: {
    busyTitle: "Requests and orders is already open in another tab",
    busyText:
      "One tab keeps the data and the queue of actions. Switch to it, or close it and this tab will take over by itself.",
    unsupportedTitle: "This browser cannot keep the app's data",
    unsupportedText:
      "The app needs OPFS storage and Web Locks: open it in a current Chrome, Edge, Firefox or Safari. A private window may offer no storage.",
    failedTitle: "The app did not start",
  },
};

function lang() {
  return localStorage.getItem(LANG_KEY) === "en" ? "en" : "ru";
}

/// A full-page message in place of the app.
function showMessage(id, title, text) {
  const main = document.getElementById("main");
  main.replaceChildren();
  const box = document.createElement("section");
  box.className = "boot-message";
  box.id = id;
  box.setAttribute("role", "alert");
  const heading = document.createElement("h1");
  heading.textContent = title;
  const body = document.createElement("p");
  body.textContent = text;
  box.append(heading, body);
  main.append(box);
}

function registerServiceWorker() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch((error) => {
      console.warn("orderdesk: service worker not registered", error);
    });
  }
}

/// Shows a notification of the core through the system, when allowed. The
/// tag is the notice's key: the same notice arriving by push replaces it.
async function showSystemNotification(notification) {
  if (!("Notification" in window) || Notification.permission !== "granted") {
    return;
  }
  const options = {
    body: notification.body,
    tag: notification.key,
    data: { order: notification.order },
    icon: "/icons/icon-192.png",
  };
  const registration = await navigator.serviceWorker?.getRegistration();
  if (registration) {
    await registration.showNotification(notification.title, options);
  } else {
    new Notification(notification.title, options);
  }
}

/// The bytes of a base64url string.
function base64UrlBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/// Subscribes this browser to the server's Web Push, so new and returned
/// orders reach the manager with the app closed; the core hands the
/// subscription to the server for the signed-in session.
async function subscribeToPush(invoke) {
  if (!("PushManager" in window) || Notification.permission !== "granted") {
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    const key = await invoke("get_push_key", { args: {} });
    subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlBytes(key.public_key),
    });
  }
  await invoke("subscribe_push", { args: { subscription: subscription.toJSON() } });
}

/// Once signed in: subscribes to push when notifications are allowed, and
/// otherwise asks for them on the manager's next tap (browsers only ask in
/// answer to a gesture).
function setUpNotifications(invoke) {
  if (!("Notification" in window)) {
    return;
  }
  const subscribe = () => {
    subscribeToPush(invoke).catch((error) => {
      console.warn("orderdesk: no Web Push here", error);
    });
  };
  if (Notification.permission === "granted") {
    subscribe();
  } else if (Notification.permission === "default") {
    const ask = () => {
      Notification.requestPermission()
        .then((answer) => answer === "granted" && subscribe())
        .catch(() => {});
    };
    document.addEventListener("click", ask, { once: true, capture: true });
  }
}

/// Starts the core's worker and the bridge the UI calls through.
function startCore() {
  const worker = new Worker("/worker.js", { type: "module" });
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  let notificationsSetUp = false;
  let settle;
  const ready = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  ready.catch(() => {});

  worker.onmessage = (event) => {
    const message = JSON.parse(event.data);
    switch (message.kind) {
      case "ready":
        settle.resolve();
        break;
      case "failed":
        settle.reject({ code: "unavailable", message: message.message });
        if (message.code === "cache_busy") {
          showMessage("boot-busy", TEXT[lang()].busyTitle, TEXT[lang()].busyText);
        } else {
          showMessage("boot-failed", TEXT[lang()].failedTitle, message.message);
        }
        break;
      case "answer":
        pending.get(message.id)?.resolve(message.value);
        pending.delete(message.id);
        break;
      case "refusal":
        pending.get(message.id)?.reject(message.error);
        pending.delete(message.id);
        break;
      case "event":
        for (const handler of listeners.get(message.name) ?? []) {
          handler({ event: message.name, payload: message.payload });
        }
        if (message.name === NOTIFICATION_EVENT) {
          showSystemNotification(message.payload).catch((error) => {
            console.warn("orderdesk: notification not shown", error);
          });
        }
        break;
    }
  };
  worker.onerror = (event) => {
    settle.reject({ code: "unavailable", message: event.message ?? "worker failed" });
  };

  async function invoke(command, body) {
    await ready;
    const args = body?.args ?? {};
    if (command === "set_language" && args.lang) {
      localStorage.setItem(LANG_KEY, args.lang);
    }
    const answer = await new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage(JSON.stringify({ kind: "call", id, command, args }));
    });
    if ((command === "log_in" || command === "get_session") && answer && !notificationsSetUp) {
      notificationsSetUp = true;
      setUpNotifications(invoke);
    }
    return answer;
  }

  async function listen(name, handler) {
    if (!listeners.has(name)) {
      listeners.set(name, new Set());
    }
    listeners.get(name).add(handler);
    return () => listeners.get(name).delete(handler);
  }

  window.__ORDERDESK__ = { core: { invoke }, event: { listen } };
}

async function boot() {
  if ("__TAURI__" in window) {
    await init();
    return;
  }
  registerServiceWorker();
  if (!("locks" in navigator) || !navigator.storage?.getDirectory) {
    const text = TEXT[lang()];
    showMessage("boot-unsupported", text.unsupportedTitle, text.unsupportedText);
    return;
  }
  await navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) {
      const text = TEXT[lang()];
      showMessage("boot-busy", text.busyTitle, text.busyText);
      // When the owning tab closes, this one takes over.
      navigator.locks.request(LOCK, () => location.reload());
      return;
    }
    startCore();
    await init();
    // Held for as long as this tab lives.
    await new Promise(() => {});
  });
}

boot();
