// Import page: say at once when the chosen zip is larger than the server accepts, instead of
// uploading it only to be refused. Loaded as a file (the Content-Security-Policy allows no inline script).
"use strict";

(function () {
  function check(input) {
    const limit = Number(input.getAttribute("data-max-bytes"));
    const note = document.getElementById(input.getAttribute("aria-describedby"));
    const file = input.files && input.files[0];
    const tooBig = Boolean(file && limit && file.size > limit);
    const message = tooBig ? "“" + file.name + "” is " + file.size.toLocaleString() + " bytes; the server accepts at most " +
      limit.toLocaleString() + ". Split the collection or ask an admin to raise VOUCH_MAX_BODY_BYTES." : "";
    input.setCustomValidity(message);
    if (note) { note.textContent = message; note.hidden = !tooBig; }
  }

  function ready() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () { check(input); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
