// The web app's service worker: it keeps every file of the app in one cache
// per build, so the app starts with no network, and shows the server's push
// notifications when no page of the app is open.
//
// `cargo xtask build-ui` writes `ui/dist/sw.js` from this file, replacing the
// two values below: the build's version (a hash of every file of `ui/dist`)
// and the list of those files. The API and the probes always go to the
// network and are never cached: the app's data lives in its own store, not
// here.

const VERSION = "%VERSION%";
const FILES = ["%FILES%"];

const CACHE_PREFIX = "orderdesk-";
const CACHE = CACHE_PREFIX + VERSION;
const PAGE = "index.html";
const ICON = "icons/icon-192.png";
const TITLE = "Обращения и заказы";

// Requests under these paths are left to the network, untouched.
const NETWORK_ONLY = ["/api/", "/healthz", "/readyz"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: the copies come from the server, not from the HTTP cache.
      await cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

function networkOnly(url) {
  return NETWORK_ONLY.some((path) => url.pathname === path || url.pathname.startsWith(path));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || networkOnly(url)) {
    return;
  }
  event.respondWith(fromCache(request));
});

// Cache first. A page of the app at any path is the cached page; a file the
// cache does not hold (one added after this build) comes from the network.
async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
  if (hit) {
    return hit;
  }
  if (request.mode === "navigate") {
    const page = await cache.match(new URL(PAGE, self.registration.scope));
    if (page) {
      return page;
    }
  }
  return fetch(request);
}

// A push carries `{title, body, tag, order}`; `tag` is the notice's key
// (`notice:<id>`), the same the open app uses, so a notice shown by both
// replaces itself instead of appearing twice.
self.addEventListener("push", (event) => {
  let payload = {};
  if (event.data) {
    try {
      payload = event.data.json();
    } catch (_) {
      payload = { body: event.data.text() };
    }
  }
  const options = {
    body: payload.body || "",
    data: { order: payload.order ?? null },
    icon: ICON,
  };
  if (payload.tag) {
    options.tag = payload.tag;
  }
  event.waitUntil(self.registration.showNotification(payload.title || TITLE, options));
});

// A click brings an open window of the app forward, or opens the app. The
// window also gets the notice's order, to show it if it wants.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const order = event.notification.data ? event.notification.data.order : null;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        open.postMessage({ kind: "notification-click", order });
        await open.focus();
        return;
      }
      await self.clients.openWindow("/");
    })(),
  );
});
