// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  // Selects that submit their form on change (the year selector); their button is then not needed.
  document.querySelectorAll("[data-autosubmit]").forEach(function (element) {
    element.addEventListener("change", function () {
      element.form.submit();
    });
  });
  document.querySelectorAll("[data-autosubmit-hide]").forEach(function (element) {
    element.hidden = true;
  });

  // Buttons that ask before doing something that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  // File uploads that show their progress: large attendee lists take a while on slow networks.
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) {
        return;
      }
      event.preventDefault();
      var box = form.querySelector("[data-progress]");
      var bar = form.querySelector("[data-progress-bar]");
      box.hidden = false;
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded / progress.total) * 100);
          bar.style.width = percent + "%";
          bar.textContent = percent + "%";
        }
      });
      request.addEventListener("load", function () {
        window.history.replaceState(null, "", request.responseURL);
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      request.send(new FormData(form));
    });
  });
});

// The scoring page's running total while typing. It mirrors assessment/scoring.py for a preview;
// the server recomputes everything on save, so this never decides a score.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-score-form]");
  var panel = document.querySelector("[data-live-score]");
  if (!form || !panel) {
    return;
  }
  function hundredths(text) {
    var value = parseFloat(text);
    return isNaN(value) ? null : Math.round(value * 100);
  }
  function update() {
    var earned = 0;
    var possible = 0;
    var vetoed = false;
    form.querySelectorAll("[data-item]").forEach(function (row) {
      var na = row.querySelector("[data-na]");
      if (na && na.checked) {
        return;
      }
      var veto = row.querySelector("[data-veto]");
      if (veto && veto.checked) {
        vetoed = true;
      }
      var max = hundredths(row.dataset.max);
      possible += max;
      if (row.dataset.rules !== "0") {
        var lost = 0;
        row.querySelectorAll("[data-deduction]").forEach(function (input) {
          lost += (parseInt(input.value, 10) || 0) * hundredths(input.dataset.deduction);
        });
        earned += Math.max(0, max - lost);
      } else {
        var points = row.querySelector("[data-points]");
        earned += points ? hundredths(points.value) || 0 : 0;
      }
    });
    panel.hidden = false;
    panel.querySelector("[data-live-earned]").textContent = (earned / 100).toFixed(2);
    panel.querySelector("[data-live-possible]").textContent = (possible / 100).toFixed(2);
    var percentage = vetoed ? 0 : possible ? (earned * 100) / possible : null;
    panel.querySelector("[data-live-percentage]").textContent =
      percentage === null ? "—" : (Math.round(percentage * 100 + 1e-9) / 100).toFixed(2) + "%";
    panel.querySelector("[data-live-veto]").hidden = !vetoed;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});

// The unit picker (core/widgets.py UnitPicker): search by name, short name or code, and
// "select all" / "clear" per category. Without JavaScript it is a plain list of checkboxes.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-unit-picker]").forEach(function (picker) {
    var search = picker.querySelector("[data-picker-search]");
    var count = picker.querySelector("[data-picker-count]");
    var boxes = picker.querySelectorAll("input[type=checkbox]");
    function visibleOptions(group) {
      return Array.prototype.filter.call(
        group.querySelectorAll("[data-picker-option]"),
        function (option) {
          return !option.hidden;
        }
      );
    }
    function showCount() {
      var chosen = Array.prototype.filter.call(boxes, function (box) {
        return box.checked;
      }).length;
      count.textContent = count.dataset.template
        ? count.dataset.template.replace("{count}", chosen)
        : chosen + " / " + boxes.length;
    }
    search.hidden = false;
    picker.querySelectorAll("[data-picker-all], [data-picker-none]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var checked = button.hasAttribute("data-picker-all");
        visibleOptions(button.closest("[data-picker-group]")).forEach(function (option) {
          option.querySelector("input").checked = checked;
        });
        showCount();
      });
    });
    search.addEventListener("input", function () {
      var query = search.value.trim().toLowerCase();
      picker.querySelectorAll("[data-picker-group]").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-picker-option]").forEach(function (option) {
          option.hidden = query !== "" && option.dataset.search.toLowerCase().indexOf(query) === -1;
          shown += option.hidden ? 0 : 1;
        });
        group.hidden = shown === 0;
      });
    });
    picker.addEventListener("change", showCount);
    showCount();
  });
});
