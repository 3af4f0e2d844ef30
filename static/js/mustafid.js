// Progressive enhancement only: every screen works without this file.
document.addEventListener("htmx:responseError", function () {
  // A failed partial refresh should not leave the user guessing.
  document.body.classList.add("htmx-error");
});
