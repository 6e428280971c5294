// Process diagrams: the staff case view (with states) and the console (plain).
//
// A container looks like
//   <div data-bpmn-diagram data-xml-url="/cases/YY-2026-000001/diagram.xml"
//        data-states-id="case-diagram-states" data-error-text="...">
// where data-states-id names a json_script element holding {"element_id": state}
// with state one of "completed", "current", "incident". Our models carry no
// diagram interchange (DI) information, so a model without a BPMNDiagram is laid
// out here first with bpmn-auto-layout.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { layoutProcess } from 'bpmn-auto-layout';

const STATES = new Set(['completed', 'current', 'incident']);
const HAS_DI = /<([\w.-]+:)?BPMNDiagram[\s>/]/;

function readStates(container) {
  const id = container.dataset.statesId;
  const node = id ? document.getElementById(id) : null;
  if (!node) {
    return {};
  }
  try {
    return JSON.parse(node.textContent) || {};
  } catch (error) {
    return {};
  }
}

async function fetchXml(url) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/xml' },
  });
  if (!response.ok) {
    throw new Error(`diagram ${url}: HTTP ${response.status}`);
  }
  const xml = await response.text();
  return HAS_DI.test(xml) ? xml : layoutProcess(xml);
}

function addMarkers(viewer, states) {
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  let marked = 0;
  for (const [elementId, state] of Object.entries(states)) {
    if (STATES.has(state) && registry.get(elementId)) {
      canvas.addMarker(elementId, state);
      marked += 1;
    }
  }
  return marked;
}

function bindControls(container, viewer) {
  const canvas = viewer.get('canvas');
  const zoomBy = (factor) => canvas.zoom(canvas.zoom() * factor);
  const actions = {
    'zoom-in': () => zoomBy(1.25),
    'zoom-out': () => zoomBy(0.8),
    fit: () => canvas.zoom('fit-viewport', 'auto'),
  };
  const scope = container.closest('[data-diagram-scope]') || container.parentElement;
  for (const button of scope.querySelectorAll('[data-diagram-action]')) {
    const action = actions[button.dataset.diagramAction];
    if (action) {
      button.addEventListener('click', action);
      button.hidden = false;
    }
  }
}

function showError(container, error) {
  container.dataset.state = 'error';
  const message = document.createElement('p');
  message.className = 'diagram-error';
  message.setAttribute('role', 'alert');
  message.textContent = container.dataset.errorText || 'The diagram cannot be shown.';
  container.replaceChildren(message);
  console.error(error);
}

async function render(container) {
  container.dataset.state = 'loading';
  try {
    const xml = await fetchXml(container.dataset.xmlUrl);
    const canvasHost = document.createElement('div');
    canvasHost.className = 'diagram-canvas';
    container.replaceChildren(canvasHost);
    const viewer = new NavigatedViewer({ container: canvasHost });
    await viewer.importXML(xml);
    viewer.get('canvas').zoom('fit-viewport', 'auto');
    container.dataset.marked = String(addMarkers(viewer, readStates(container)));
    bindControls(container, viewer);
    container.dataset.state = 'ready';
  } catch (error) {
    showError(container, error);
  }
}

function start() {
  for (const container of document.querySelectorAll('[data-bpmn-diagram]')) {
    render(container);
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
