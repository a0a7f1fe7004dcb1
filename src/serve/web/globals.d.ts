// uPlot is loaded as a classic script (/assets/uPlot.js) before the modules run.
declare const uPlot: typeof import('uplot').default;
