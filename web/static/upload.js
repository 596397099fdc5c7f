// upload.js sends the evidence upload form with XMLHttpRequest so that the
// browser's upload progress shows in a <progress> element. Without script
// the form posts normally. The CSRF token goes in the X-CSRF-Token header,
// so the server never has to read the body to check it.
(function () {
  'use strict';
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
    return;
  }

  // bind makes the upload form on the page (if any) send itself by XHR.
  function bind() {
    var form = document.getElementById('upload-form');
    if (!form) {
      return;
    }
    var status = document.getElementById('upload-status');
    var bar = document.getElementById('upload-progress');
    var label = document.getElementById('upload-progress-label');
    var button = document.getElementById('upload-submit');

    function show(text) {
      status.hidden = false;
      label.textContent = text;
    }

    // replaceMain swaps the page's main content for the response's and
    // binds the form it holds.
    function replaceMain(html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var next = doc.getElementById('main');
      var main = document.getElementById('main');
      if (!next || !main) {
        button.disabled = false;
        show(form.dataset.failed);
        return;
      }
      main.replaceWith(document.importNode(next, true));
      document.getElementById('main').focus();
      bind();
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('X-CSRF-Token', form.elements.csrf_token.value);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          bar.max = e.total;
          bar.value = e.loaded;
          show(form.dataset.uploading + ' ' + Math.floor(100 * e.loaded / e.total) + ' %');
        }
      };
      xhr.upload.onload = function () {
        bar.removeAttribute('value'); // indeterminate while the server stores the files
        show(form.dataset.processing);
      };
      xhr.onload = function () { replaceMain(xhr.responseText); };
      xhr.onerror = function () {
        button.disabled = false;
        show(form.dataset.failed);
      };
      button.disabled = true;
      show(form.dataset.uploading + ' 0 %');
      xhr.send(new FormData(form));
    });
  }

  bind();
}());
