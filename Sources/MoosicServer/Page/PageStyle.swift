extension PageAssets {
    static let style = #"""
    :root { --bg: #14161c; --panel: #1e212b; --text: #e8e6e1; --dim: #9a9aa3; --happy: #f0b429; --sad: #4f7cff; --ok: #3ecf8e; --warn: #ff8a4c; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--text); }
    header { display: flex; align-items: baseline; gap: 1.2em; padding: 0.8em 1.5em; background: var(--panel); }
    header h1 { margin: 0; font-size: 1.5em; letter-spacing: 0.05em; }
    header p { margin: 0; color: var(--dim); flex: 1; }
    main { max-width: 1000px; margin: 0 auto; padding: 1em 1.5em 3em; }
    section { background: var(--panel); border-radius: 10px; padding: 0.6em 1.2em 1.2em; margin-top: 1.2em; }
    h2 { font-size: 1.1em; color: var(--dim); font-weight: 600; }
    .row { display: flex; gap: 1.2em; align-items: flex-start; flex-wrap: wrap; }
    .options { align-items: center; }
    .camera { position: relative; width: 320px; height: 240px; background: #000; border-radius: 6px; overflow: hidden; }
    .camera video, .camera canvas { width: 100%; height: 100%; object-fit: contain; }
    .camera canvas { position: absolute; inset: 0; }
    .controls { flex: 1; min-width: 240px; }
    .hint { color: var(--dim); font-size: 0.9em; margin: 0.3em 0 1em; }
    button { font: inherit; padding: 0.45em 1em; border-radius: 6px; border: 0; background: #3a3f52; color: var(--text); cursor: pointer; }
    button:hover:not(:disabled) { background: #4a5068; }
    button:disabled { opacity: 0.45; cursor: default; }
    #capture, #write { background: #2f6f53; }
    input[type=number] { width: 4.5em; font: inherit; padding: 0.3em; background: #111; color: var(--text); border: 1px solid #444; border-radius: 4px; }
    .result { font-size: 1.1em; min-height: 1.5em; }
    .result.unsure, .result.error { color: var(--warn); }
    .result.happy { color: var(--happy); }
    .result.written { color: var(--ok); }
    .result.sad { color: var(--sad); }
    #genres { flex: 1; min-width: 280px; }
    .genre { display: grid; grid-template-columns: 8em 1fr 3em; gap: 0.5em; align-items: center; margin: 0.15em 0; }
    .genre .from { grid-column: 1 / -1; font-size: 0.75em; opacity: 0.7; margin-top: -0.2em; }
    .genre .bar { height: 0.7em; border-radius: 3px; background: var(--ok); }
    .coverage { color: var(--dim); font-size: 0.9em; }
    #cover { width: 160px; height: 160px; border-radius: 6px; }
    #tracks { padding-left: 1.8em; }
    #tracks li { margin: 0.35em 0; }
    #tracks .meta { color: var(--dim); font-size: 0.88em; }
    #tracks a { color: var(--ok); margin-left: 0.5em; font-size: 0.88em; }
    #chart { width: 100%; height: auto; background: #15171e; border-radius: 6px; }
    #chart .axis { stroke: #444; stroke-width: 1; }
    #chart .line { fill: none; stroke: var(--dim); stroke-width: 1.5; }
    #chart text { fill: var(--dim); font-size: 11px; }
    #chart .made { stroke: var(--ok); stroke-width: 2; }
    .result a { color: var(--ok); }
    #history-text { color: var(--dim); font-family: ui-monospace, monospace; }
    """#
}
