// 扫码签到. The projector page (training/checkin_screen.html) asks for a fresh code when the
// current one is replaced, and for the figures every few seconds; the attendance page's live
// panel (training/attendance.html) shows how many are in and who is still missing, by unit.
document.addEventListener("DOMContentLoaded", function () {
  var FIGURES_EVERY = 10000; // ms

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      },
    );
  }

  var screen = document.querySelector("[data-checkin-screen]");
  if (screen) {
    var image = screen.querySelector("[data-checkin-image]");
    var link = screen.querySelector("[data-checkin-url]");
    var present = screen.querySelector("[data-checkin-present]");
    var registered = screen.querySelector("[data-checkin-registered]");
    var offline = screen.querySelector("[data-checkin-offline]");
    var timer = null;

    var refresh = function () {
      getJson(screen.dataset.checkinScreen)
        .then(function (state) {
          if (link.dataset.checkinUrl !== state.url) {
            image.src = state.image;
            link.href = state.url;
            link.textContent = state.url;
            link.dataset.checkinUrl = state.url;
          }
          offline.hidden = true;
          present.textContent = state.present;
          registered.textContent = state.registered;
          schedule(Math.min(state.refresh_in * 1000 + 500, FIGURES_EVERY));
        })
        .catch(function () {
          // the network at a venue comes and goes, a session ends: say so, and try again
          offline.hidden = false;
          schedule(FIGURES_EVERY);
        });
    };
    var schedule = function (delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, delay);
    };
    schedule(Math.min(Number(screen.dataset.refreshIn) * 1000 + 500, FIGURES_EVERY));
  }

  var panel = document.querySelector("[data-attendance-live]");
  if (panel) {
    var update = function () {
      getJson(panel.dataset.attendanceLive)
        .then(function (state) {
          panel.querySelector("[data-live-present]").textContent = state.present;
          panel.querySelector("[data-live-registered]").textContent = state.registered;
          panel.querySelector("[data-live-excused]").textContent = state.excused;
          var list = panel.querySelector("[data-live-missing]");
          list.replaceChildren();
          state.missing.forEach(function (group) {
            var item = document.createElement("li");
            var unit = document.createElement("strong");
            unit.textContent = group.unit + panel.dataset.colon;
            item.append(unit, group.names.join(panel.dataset.separator));
            if (group.more) {
              item.append(panel.dataset.more.replace("%(count)s", group.more));
            }
            list.append(item);
          });
          // the sentence is written only when nobody is left, not merely hidden
          var none = panel.querySelector("[data-live-none-missing]");
          none.textContent = state.missing.length ? "" : none.dataset.text;
        })
        .catch(function () {});
    };
    window.setInterval(update, FIGURES_EVERY);
  }
});
