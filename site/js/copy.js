// A "Copy" button on every code block marked <figure class="code">, copying the block's text.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var done = document.execCommand("copy");
      document.body.removeChild(area);
      if (done) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  document.querySelectorAll("figure.code").forEach(function (figure) {
    var code = figure.querySelector("pre");
    if (!code) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", function () {
      var text = code.innerText.replace(/^\$ /gm, "");
      copyText(text).then(
        function () {
          button.textContent = "Copied";
          button.setAttribute("data-copied", "");
          setTimeout(function () {
            button.textContent = "Copy";
            button.removeAttribute("data-copied");
          }, 1600);
        },
        function () {
          button.textContent = "Select and copy";
        }
      );
    });
    figure.appendChild(button);
  });
})();
