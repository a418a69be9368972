/// The style and the script `export html` embeds in every page: fixed text, the same for
/// every run, so a page is its data plus these.
extension HTMLExport {
    static let style = #"""
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 12px 16px; font: 14px/1.4 system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
        header h1 { font-size: 20px; margin: 0 0 2px; }
        header p { margin: 2px 0; }
        #summary { color: #4b5563; }
        #verdict { font-weight: 600; }
        #verdict.broken { color: #b3261e; }
        #verdict.held { color: #1f7a3a; }
        .note { color: #92400e; }
        #counterexample { border-left: 4px solid #b3261e; background: #fff1f0; padding: 4px 10px; margin: 6px 0; }
        #counterexample ol { margin: 2px 0; }
        #counterexample code { white-space: pre; }
        code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
        #layout { display: flex; gap: 14px; align-items: flex-start; margin-top: 8px; }
        #diagram { flex: 1 1 auto; min-width: 0; overflow-x: auto; background: #fff; border: 1px solid #d8dce2; border-radius: 6px; }
        #panel { flex: 0 0 360px; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow-y: auto;
                 background: #fff; border: 1px solid #d8dce2; border-radius: 6px; padding: 4px 12px 10px; }
        #panel h2 { font-size: 15px; margin: 8px 0 4px; }
        svg { display: block; }
        svg text { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #1d2330; }
        .lane-name { font-weight: 700; text-anchor: middle; }
        .lane-name.time-head { text-anchor: start; }
        .lane { stroke: #b4bcc8; stroke-width: 2; }
        text.time { fill: #6b7280; }
        .hit { fill: transparent; }
        .entry { cursor: pointer; }
        .entry.current .hit { fill: #fff6d5; }
        .entry:hover .hit, .entry.selected .hit { fill: #e8f0ff; }
        .mark { fill: #6b7280; stroke: #fff; stroke-width: 1.5; }
        .kind-request .mark { fill: #2563eb; }
        .kind-commit .mark { fill: #374151; }
        .kind-publish .mark { fill: #0e7490; }
        .kind-compensate .mark { fill: #a21caf; }
        .kind-skip .mark, .kind-park .mark, .kind-redeliver .mark, .kind-fault .mark { fill: #d97706; }
        .kind-restart .mark { fill: #16a34a; }
        .kind-dead-letter .mark { fill: #b3261e; }
        .mark.cross { stroke: #b3261e; stroke-width: 3; fill: none; }
        .kind-crash .label, .kind-dead-letter .label { fill: #b3261e; }
        .kind-compensate .label { fill: #a21caf; }
        .band { fill: #eceff3; }
        .kind-fault .band { fill: #fff1c7; }
        .kind-invariant .band { fill: #fde0dd; stroke: #b3261e; }
        .kind-invariant .label { fill: #b3261e; font-weight: 700; }
        .arrow { cursor: pointer; }
        .arrow .shaft { stroke: #0e7490; stroke-width: 1.6; fill: none; }
        .arrow.repeat .shaft { stroke: #b45309; stroke-dasharray: 5 3; }
        .arrow .grab { stroke: transparent; stroke-width: 10; fill: none; }
        .arrow:hover .shaft, .arrow.selected .shaft { stroke-width: 3.2; }
        .head { fill: #0e7490; }
        .head-repeat { fill: #b45309; }
        .future { opacity: 0.16; }
        #now-line { stroke: #d97706; stroke-width: 1.2; stroke-dasharray: 3 3; }
        #break path { fill: #b3261e; }
        #schedule-start line { stroke: #b3261e; stroke-dasharray: 6 4; }
        #schedule-start text { fill: #b3261e; font-style: italic; }
        .stepper { display: flex; align-items: center; gap: 4px; }
        .track { position: relative; flex: 1; }
        #slider { width: 100%; margin: 0; }
        #ticks { position: relative; height: 8px; }
        .tick { position: absolute; top: 0; width: 4px; height: 8px; margin-left: -2px; background: #b3261e; }
        #step-info { margin: 4px 0; font-size: 13px; }
        button { font: inherit; font-size: 13px; padding: 1px 7px; }
        #details-body dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; font-size: 13px; }
        #details-body dt { color: #6b7280; }
        #details-body dd { margin: 0; overflow-wrap: anywhere; }
        .hint { color: #6b7280; font-size: 13px; margin: 0; }
        .db h3 { font-size: 13px; margin: 6px 0 1px; }
        .db.changed h3::after { content: " (changed in this step)"; color: #b45309; font-weight: 400; }
        .db ul { margin: 0; padding-left: 16px; font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; }
        footer { color: #6b7280; font-size: 12px; margin-top: 10px; }
        """#

    static let script = #"""
        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('sagalab-data').textContent);
          var slider = document.getElementById('slider');
          var rows = Array.prototype.slice.call(document.querySelectorAll('#rows .entry'));
          var arrows = Array.prototype.slice.call(document.querySelectorAll('#arrows .arrow'));
          var nowLine = document.getElementById('now-line');
          var byIndex = {};
          rows.forEach(function (row) { byIndex[row.getAttribute('data-index')] = row; });
          var states = [];
          var current = data.steps.length - 1;
          var selected = null;

          function stateAt(k) {
            if (states[k]) { return states[k]; }
            var own = data.steps[k].state;
            var before = k > 0 ? stateAt(k - 1) : [];
            var full = own.map(function (lines, i) { return lines === null ? (before[i] || []) : lines; });
            states[k] = full;
            return full;
          }

          function rowY(index) {
            var row = byIndex[String(index)];
            return row ? Number(row.getAttribute('data-y')) : data.top;
          }

          function renderDatabases(k) {
            var state = stateAt(k);
            var own = data.steps[k].state;
            data.services.forEach(function (service, i) {
              var box = document.getElementById('db-' + service);
              var list = box.querySelector('ul');
              while (list.firstChild) { list.removeChild(list.firstChild); }
              state[i].forEach(function (n) {
                var item = document.createElement('li');
                item.textContent = data.strings[n];
                list.appendChild(item);
              });
              box.classList.toggle('changed', k > 0 && own[i] !== null);
            });
            document.getElementById('db-step').textContent = String(k);
          }

          function setStep(k) {
            k = Math.max(0, Math.min(data.steps.length - 1, k));
            current = k;
            slider.value = String(k);
            var step = data.steps[k];
            var mark = function (el) {
              var i = Number(el.getAttribute('data-index'));
              el.classList.toggle('future', i >= step.end);
              el.classList.toggle('current', i >= step.first && i < step.end);
            };
            rows.forEach(mark);
            arrows.forEach(mark);
            var y = step.end > 0 ? rowY(step.end - 1) + 10 : data.top - 2;
            nowLine.setAttribute('y1', String(y));
            nowLine.setAttribute('y2', String(y));
            var last = data.steps.length - 1;
            var info = 'step ' + k + ' of ' + last + ' \u00b7 ' + step.time;
            if (k === 0) { info += ' \u00b7 before the first entry'; }
            else if (step.end - step.first === 1) { info += ' \u00b7 entry ' + step.first; }
            else { info += ' \u00b7 entries ' + step.first + ' to ' + (step.end - 1); }
            if (data.breakStep !== null && k === data.breakStep) { info += ' \u00b7 an invariant broke here'; }
            document.getElementById('step-info').textContent = info;
            document.body.setAttribute('data-step', String(k));
            renderDatabases(k);
          }

          function field(list, name, value) {
            if (value === null || value === undefined || value === '') { return; }
            var dt = document.createElement('dt');
            dt.textContent = name;
            var dd = document.createElement('dd');
            dd.textContent = value;
            list.appendChild(dt);
            list.appendChild(dd);
          }

          function showDetails(el) {
            var index = el.getAttribute('data-index');
            var row = byIndex[index];
            var body = document.getElementById('details-body');
            while (body.firstChild) { body.removeChild(body.firstChild); }
            var list = document.createElement('dl');
            var title = row.querySelector('title');
            field(list, 'entry', index + (row.getAttribute('data-step') ? ' (step ' + row.getAttribute('data-step') + ')' : ''));
            field(list, 'time', row.getAttribute('data-time'));
            field(list, 'kind', row.getAttribute('data-kind') + ' (' + row.getAttribute('data-happening') + ')');
            var arrow = document.getElementById('arrow-' + index);
            if (arrow) {
              field(list, 'message', arrow.getAttribute('data-from') + ' \u2192 ' + arrow.getAttribute('data-to'));
              var sent = arrow.getAttribute('data-sent');
              if (sent !== null && byIndex[sent]) {
                var from = byIndex[sent];
                var took = Number(row.getAttribute('data-ms')) - Number(from.getAttribute('data-ms'));
                field(list, 'sent by', 'entry ' + sent + ' at ' + from.getAttribute('data-time') + ', ' + took + ' ms before');
              }
            } else {
              field(list, 'service', row.getAttribute('data-who'));
            }
            field(list, 'order', row.getAttribute('data-order'));
            var event = row.getAttribute('data-event');
            if (event) { field(list, 'event', event + (row.getAttribute('data-event-type') ? ' ' + row.getAttribute('data-event-type') : '')); }
            field(list, 'what', title ? title.textContent : '');
            body.appendChild(list);
          }

          function select(el) {
            if (selected) { selected.forEach(function (s) { s.classList.remove('selected'); }); }
            var index = el.getAttribute('data-index');
            selected = [byIndex[index], document.getElementById('arrow-' + index)].filter(Boolean);
            selected.forEach(function (s) { s.classList.add('selected'); });
            showDetails(el);
            var step = byIndex[index].getAttribute('data-step');
            if (step !== '') { setStep(Number(step)); }
          }

          rows.concat(arrows).forEach(function (el) {
            el.addEventListener('mouseenter', function () { showDetails(el); });
            el.addEventListener('click', function () { select(el); });
          });
          slider.addEventListener('input', function () { setStep(Number(slider.value)); });
          document.getElementById('first').addEventListener('click', function () { setStep(0); });
          document.getElementById('prev').addEventListener('click', function () { setStep(current - 1); });
          document.getElementById('next').addEventListener('click', function () { setStep(current + 1); });
          document.getElementById('last').addEventListener('click', function () { setStep(data.steps.length - 1); });
          var toBreak = document.getElementById('goto-break');
          if (toBreak) {
            toBreak.addEventListener('click', function () {
              var flag = document.getElementById('break');
              setStep(data.breakStep);
              if (flag) { select(byIndex[flag.getAttribute('data-index')]); }
            });
          }
          document.addEventListener('keydown', function (event) {
            if (event.target === slider) { return; }
            if (event.key === 'ArrowLeft') { setStep(current - 1); event.preventDefault(); }
            if (event.key === 'ArrowRight') { setStep(current + 1); event.preventDefault(); }
          });
          setStep(current);
          document.body.setAttribute('data-ready', 'yes');
        })();
        """#
}
