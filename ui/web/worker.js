// The dedicated worker that runs the client core in a browser: loading the
// module starts it (see crates/web); it answers the page from then on.
import init from "./core.js";

init();
