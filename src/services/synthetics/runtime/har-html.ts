/**
 * The `*.har.html` report: one self-contained page that embeds the HAR as `var harOutput = {…};`
 * (the variable AWS's HAR reports carry, so tools that read AWS's reports read these) and renders
 * it as a sortable request table with a waterfall, without any external asset.
 */
import type { Har } from './har.ts';

/** JSON safe to put inside a <script> element: no `</script>`, no HTML comment openers. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `body{font:13px system-ui,sans-serif;margin:16px;color:#16191f}
h1{font-size:18px;margin:0 0 4px}p{margin:0 0 12px;color:#545b64}
table{border-collapse:collapse;width:100%}th,td{padding:4px 6px;border-bottom:1px solid #eaeded;text-align:left;white-space:nowrap}
th{cursor:pointer;background:#fafafa;position:sticky;top:0}td.url{max-width:520px;overflow:hidden;text-overflow:ellipsis}
.bad{color:#d13212;font-weight:600}.wf{width:240px}.bar{height:8px;background:#0073bb;border-radius:2px;min-width:1px}`;

// Renders harOutput; kept as plain ES5-ish source since it runs in whatever browser opens the file.
const VIEWER = `(function(){
var log=harOutput.log,entries=log.entries.slice(),t0=Infinity,t1=0;
entries.forEach(function(e){var s=Date.parse(e.startedDateTime);e._s=s;t0=Math.min(t0,s);t1=Math.max(t1,s+Math.max(e.time,0));});
var span=Math.max(t1-t0,1),key='_s',dir=1;
function size(e){return e.response.bodySize>0?e.response.bodySize:e.response.content.size;}
var cols=[['#',null],['Method',function(e){return e.request.method}],['URL',function(e){return e.request.url}],
['Status',function(e){return e.response.status}],['Type',function(e){return e.response.content.mimeType}],
['Size (B)',size],['Time (ms)',function(e){return Math.round(e.time)}],['Waterfall','_s']];
function render(){
var rows=entries.slice().sort(function(a,b){var f=typeof key==='function'?key:function(e){return e[key]};var x=f(a),y=f(b);return (x>y?1:x<y?-1:0)*dir;});
var h='<tr>'+cols.map(function(c,i){return '<th data-i="'+i+'">'+c[0]+'</th>'}).join('')+'</tr>';
rows.forEach(function(e,i){var bad=e.response.status===0||e.response.status>=400;
var left=(e._s-t0)/span*100,w=Math.max(e.time,0)/span*100;
h+='<tr><td>'+(i+1)+'</td><td>'+esc(e.request.method)+'</td><td class="url" title="'+esc(e.request.url)+'">'+esc(e.request.url)+'</td>'
+'<td class="'+(bad?'bad':'')+'">'+(e.response.status||esc(e._error||e.response.statusText||'failed'))+'</td><td>'+esc(e.response.content.mimeType)+'</td>'
+'<td>'+size(e)+'</td><td>'+Math.round(e.time)+'</td><td class="wf"><div class="bar" style="margin-left:'+left+'%;width:'+w+'%"></div></td></tr>';});
document.getElementById('t').innerHTML=h;}
function esc(s){return String(s==null?'':s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]});}
document.getElementById('t').addEventListener('click',function(ev){var i=ev.target.getAttribute&&ev.target.getAttribute('data-i');
if(i===null||!cols[i][1])return;var k=cols[i][1];if(k===key)dir=-dir;else{key=k;dir=1;}render();});
document.getElementById('s').textContent=entries.length+' requests, '+entries.filter(function(e){return e.response.status===0||e.response.status>=400}).length+' failed or error responses, '+Math.round(span)+' ms';
render();})();`;

export function harHtml(har: Har, title: string): string {
  const safeTitle = title.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>HAR — ${safeTitle}</title><style>${STYLE}</style></head>
<body><h1>${safeTitle}</h1><p id="s"></p><table id="t"></table>
<script>var harOutput = ${scriptSafeJson(har)};</script>
<script>${VIEWER}</script></body></html>
`;
}
