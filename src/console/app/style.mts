/** The console's style sheet (inserted as a style element; the CSP allows inline styles only). */
export const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
header{display:flex;gap:18px;align-items:center;padding:10px 16px;background:#1d2430;color:#fff}
header nav a{color:#cfe0ff;margin-right:14px;text-decoration:none}
header #signout{margin-left:auto}
main{max-width:1200px;margin:0 auto;padding:16px}
section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:14px 16px}
h2{margin:0 0 10px;font-size:19px;word-break:break-all}
h3{font-size:15px;margin:16px 0 6px}
.stats{display:flex;flex-wrap:wrap;gap:10px}
.stat{background:#f4f6f9;border-radius:6px;padding:8px 12px;min-width:110px}
.stat b{display:block;font-size:18px}
.muted{color:#5b6675}
.error{color:#b02020}
.flash{background:#e8f3ea;border:1px solid #9cc9a6;border-radius:6px;padding:6px 10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e6eaef;vertical-align:top;font-size:13px}
.actions{display:flex;gap:8px;align-items:center;margin:10px 0;flex-wrap:wrap}
button{padding:5px 10px;border:1px solid #9aa5b3;border-radius:5px;background:#fff;cursor:pointer}
button.danger{background:#c83838;color:#fff;border-color:#a02020}
input{padding:5px 8px}
form#signin{max-width:360px;margin:60px auto;display:flex;flex-direction:column;gap:10px;background:#fff;padding:20px;border-radius:8px;border:1px solid #dde3ea}
.graph{width:100%;display:block;border:1px solid #e6eaef;border-radius:6px}
.legend span{margin-right:12px}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}
.vtable{height:420px;overflow:auto;position:relative;border:1px solid #e6eaef;border-radius:6px}
.vspacer{position:relative}
.vrow{position:absolute;left:0;right:0;height:26px;display:grid;grid-template-columns:70px 1fr 120px;gap:8px;padding:0 8px;align-items:center;border-bottom:1px solid #f0f2f5;font-size:13px}
.state-block{color:#c83838}.state-degrade{color:#e07a30}.state-allowlisted{color:#3a9a5a}
.prompt{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
.chart .axis{font-size:10px;fill:#5b6675}.chart line.base{stroke:#9aa5b3}
`;
