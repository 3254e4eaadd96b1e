// Colour theme: follows the system unless the reader picked one with the toggle; the choice is remembered.
// Loaded in <head> without defer so the page is painted in the right theme from the start.
(function () {
  "use strict";
  var key = "keyless-theme";
  var root = document.documentElement;
  var media = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function current() {
    return stored() || (media.matches ? "dark" : "light");
  }

  function apply(theme) {
    root.setAttribute("data-theme", theme);
    var button = document.querySelector(".theme-toggle");
    if (button) {
      button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      button.title = theme === "dark" ? "Switch to the light theme" : "Switch to the dark theme";
    }
  }

  apply(current());

  media.addEventListener("change", function () {
    if (!stored()) {
      apply(current());
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) {
      return;
    }
    button.hidden = false;
    apply(current());
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      try {
        localStorage.setItem(key, next);
      } catch (e) {
        // Private mode: the choice lasts for this page only.
      }
      apply(next);
    });
  });
})();
