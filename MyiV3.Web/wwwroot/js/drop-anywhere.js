// Files dragged onto any page of the app are taken by the app, never opened by the browser in its place:
// on the import page they are uploaded (import-upload.js registers itself as the target), on any other page
// the app goes to the import page and hands them over once that page's script is on.
(() => {
  // Dragged text or links are left to the browser; a drag whose types are unknown is taken for files.
  const carriesFiles = e => !e.dataTransfer?.types || [...e.dataTransfer.types].includes('Files');
  // The import page while it is on screen: its zone is still in the document until Blazor renders the next page.
  const target = () => {
    const t = window.myiDropTarget;
    return t && t.zone.isConnected ? t : null;
  };
  let depth = 0;
  const over = on => target()?.zone.classList.toggle('myi-drop--over', on);

  const handlers = {
    dragenter: () => { depth++; over(true); },
    dragover: e => { e.dataTransfer.dropEffect = 'copy'; },
    dragleave: () => { if (--depth <= 0) { depth = 0; over(false); } },
    drop: e => {
      depth = 0;
      over(false);
      // Taken while the event runs: the items are gone afterwards, their entries and files are not.
      const items = [...(e.dataTransfer?.items ?? [])].filter(i => i.kind === 'file');
      const drop = {
        entries: items.map(i => i.webkitGetAsEntry?.() ?? null),
        itemFiles: items.map(i => i.getAsFile?.() ?? null),
        files: [...(e.dataTransfer?.files ?? [])],
      };
      const t = target();
      if (t) {
        t.take(drop);
      } else {
        window.myiPendingDrop = drop;
        if (!/^\/import\/?$/.test(location.pathname)) window.Blazor?.navigateTo('/import');
      }
    },
  };
  for (const [type, handle] of Object.entries(handlers)) {
    window.addEventListener(type, e => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      handle(e);
    });
  }
})();
