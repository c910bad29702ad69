/**
 * Prints the bench results as one table per target: the measured values, the ratio or delta, the target and
 * PASS/FAIL (or PENDING / ERROR when a target could not be measured).
 */

const kB = (bytes) => (bytes / 1000).toFixed(2);
const int = (value) => Math.round(value).toLocaleString('en-US');
const fixed = (digits) => (value) => value.toFixed(digits);
const ms = fixed(3);
const ratio = fixed(3);
const result = (status) => status.toUpperCase();
const verdictOf = (value, limit) => (value <= limit ? 'PASS' : 'FAIL');
/** The brief's client-side target: what the interceptor's code adds to a bare HttpClient call, 1 or 100 APIs. */
const MICRO_TARGET_US = 2;

export function printReport(results, print = console.log) {
  const { loadAverageDuringTimings: load, cpus } = results.environment;
  if (load !== undefined && load > cpus) {
    print(
      `\nNote: the machine was busy during the timings (1-minute load average ${load.toFixed(1)} on ${cpus} cores). ` +
        'Ratios are noisier than usual: read them with their 95% intervals, or rerun when the machine is idle.',
    );
  }
  const sections = { size: printSize, interceptor: printInterceptor, renewal: printRenewal };
  for (const [name, printSection] of Object.entries(sections)) {
    const section = results.targets[name];
    if (!section) continue;
    print('');
    if (section.status === 'error') {
      print(
        `${TITLES[name]}\n  ERROR: the bench could not measure this target.\n  ${section.message.replace(/\n/g, '\n  ')}`,
      );
    } else {
      printSection(section, print);
    }
  }
}

const TITLES = {
  size: '1. Size: JavaScript the library adds to an app, brotli quality 11 (1 kB = 1000 bytes)',
  interceptor: '2. Interceptor: sequential HttpClient.get calls to a loopback JSON endpoint, headless Chromium',
  renewal: '3. Silent renewal vs a bare prompt=none iframe round trip, headless Chromium, demo build + dev IdP',
};

function printSize(size, print) {
  print(TITLES.size);
  const { initial, total } = size;
  const lazyNote = size.signatureValidationInitial ? '' : ' (signature validation is lazy: not in here)';
  table(
    print,
    ['JavaScript', 'baseline', 'with library', 'added', 'added kB', 'target', 'result'],
    [
      [
        `initial${lazyNote}`,
        int(initial.baselineBrotli),
        int(initial.libraryBrotli),
        int(initial.deltaBrotli),
        kB(initial.deltaBrotli),
        `≤ ${kB(size.initialBudget)} kB`,
        verdictOf(initial.deltaBrotli, size.initialBudget),
      ],
      [
        'initial + lazy chunks (whole library)',
        int(total.baselineBrotli),
        int(total.libraryBrotli),
        int(total.deltaBrotli),
        kB(total.deltaBrotli),
        `≤ ${kB(size.budget)} kB`,
        verdictOf(total.deltaBrotli, size.budget),
      ],
    ],
  );
  print(`  The size target: ${result(size.status)} (both rows must pass).`);
  for (const file of size.library.lazyFiles) {
    print(
      `  lazy chunk of the library app: ${file.file}, ${int(file.rawBytes)} minified, ${int(file.brotliBytes)} brotli`,
    );
  }
  for (const file of size.library.unreachableFiles ?? []) {
    print(`  not counted: ${file}, a chunk no reachable code imports (an unused feature's)`);
  }
  print(
    '\n  Where the added bytes come from (minified bytes per package, from the metafile; brotli estimated pro rata)',
  );
  table(
    print,
    ['package', 'baseline', 'library initial', 'library lazy', 'added', '≈ brotli'],
    size.packages.map((p) => [
      p.name,
      int(p.baselineRaw),
      int(p.libraryInitialRaw),
      int(p.libraryLazyRaw),
      int(p.deltaRaw),
      int(p.estimatedBrotli),
    ]),
  );
  print('\n  Largest source files of the library and jose (minified bytes, from a source-mapped build)');
  table(
    print,
    ['source', 'loaded', 'minified', '≈ brotli'],
    size.sourceFiles
      .slice(0, 15)
      .map((f) => [
        f.source.replace(/^.*?(ngx-implicit-auth\/src\/|node_modules\/)/, ''),
        f.loaded,
        int(f.raw),
        int(f.estimatedBrotli),
      ]),
  );
  if (size.features) {
    const { core, costs } = size.features;
    print(
      `\n  Optional features: what each adds to the core (provideImplicitAuth(config) alone: ${kB(core.initial)} kB ` +
        `initial, ${kB(core.total)} kB whole), brotli; the quick start uses silent-renew and tab-sync`,
    );
    table(
      print,
      ['feature', 'initial', 'whole library'],
      costs.map((f) => [
        `with${f.name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}()`,
        int(f.initial),
        int(f.total),
      ]),
    );
  }
  print('\n  Peers, as reported in the project brief (not measured here):');
  for (const peer of size.peersReported) {
    print(`    ${peer.name}: +${peer.kB.toFixed(1)} kB${peer.note ? ` (${peer.note})` : ''}`);
  }
}

function printInterceptor(interceptor, print) {
  const { http, micro, target } = interceptor;
  print(TITLES.interceptor);
  print(
    `  ${http.rounds} rounds of ${http.callsPerRound} calls per variant, taking turns call by call in shuffled order`,
  );
  if (interceptor.tokenSource === 'real') {
    print('  token held by the real service, after a real sign-in at the dev IdP');
  } else {
    print('  token held by FakeImplicitAuthService (ngx-implicit-auth/testing): the real sign-in failed with');
    print(`    ${interceptor.fallbackReason.split('\n')[0]}`);
  }
  const row = (label, variant, r, judged) => [
    label,
    ms(http.perCallMs[variant].median),
    r ? ratio(r.median) : ratio(1),
    r ? interval(r) : '',
    judged ? `≤ ${target}` : '',
    judged ? verdictOf(r.median, target) : '',
  ];
  table(
    print,
    ['variant', 'median ms/call', 'ratio to bare', '95% interval', 'target', 'result'],
    [
      row('bare HttpClient', 'bare', undefined, false),
      row('interceptor, 1 API', 'one', http.ratios.oneVsBare, true),
      row('interceptor, 100 APIs', 'hundred', http.ratios.hundredVsBare, true),
      row('bare + same header by hand (info)', 'bareWithToken', http.ratios.bareWithTokenVsBare, false),
    ],
  );
  warnIfUndecided(print, [http.ratios.oneVsBare, http.ratios.hundredVsBare], target);
  print(
    `  100 APIs vs 1 API: ${ratio(http.ratios.hundredVsOne.median)}×; ` +
      `interceptor, 1 API vs the header set by hand: ${ratio(http.ratios.oneVsBareWithToken.median)}×`,
  );
  print(
    `  endpoint saw ${http.server.calls} timed calls, ${http.server.authorized} with a token, ` +
      `${http.server.preflights} CORS preflight(s)${http.server.preflights ? ' (they inflate the ratios)' : ''}`,
  );
  print(
    `\n  The client side alone, over a backend that answers synchronously (${micro.rounds} rounds of ${micro.callsPerRound} calls)`,
  );
  const us = (value) => `${value.toFixed(2)} µs`;
  const added = (value) => [us(value), `≤ ${us(MICRO_TARGET_US)}`, verdictOf(value, MICRO_TARGET_US)];
  table(
    print,
    ['variant', 'median µs/call', 'added to bare', 'target', 'result'],
    [
      ['bare HttpClient', us(micro.perCallUs.bare.median), '', '', ''],
      ['interceptor, 1 API', us(micro.perCallUs.one.median), ...added(micro.overheadUs.one.median)],
      ['interceptor, 100 APIs', us(micro.perCallUs.hundred.median), ...added(micro.overheadUs.hundred.median)],
      [
        'bare + same header by hand',
        us(micro.perCallUs.bareWithToken.median),
        us(micro.overheadUs.bareWithToken.median),
        '',
        '',
      ],
    ],
  );
}

function printRenewal(renewal, print) {
  print(TITLES.renewal);
  if (renewal.status === 'pending') {
    print(`  PENDING: the library's renewal does not work yet, so there is nothing to time.`);
    print(`  ${renewal.reason}`);
    return;
  }
  print(
    `  ${renewal.rounds} rounds, one of each back to back; ratio: median of the rounds' ratios` +
      (renewal.converged ? '' : ' (stopped at the round or time limit before the interval was ±0.04)'),
  );
  table(
    print,
    ['variant', 'median ms', 'ratio to bare', '95% interval', 'target', 'result'],
    [
      ['bare iframe round trip', ms(renewal.bareMs.median), ratio(1), '', '', ''],
      [
        'library renewal (demo)',
        ms(renewal.libraryMs.median),
        ratio(renewal.ratio),
        interval(renewal.ratioSpread),
        `≤ ${renewal.target}`,
        result(renewal.status),
      ],
    ],
  );
  warnIfUndecided(print, [renewal.ratioSpread], renewal.target);
  const phases = renewal.libraryPhasesMs;
  if (phases) {
    print(
      `  library renewal, medians of its phases: ${ms(phases.beforeIframeMs)} ms before appending its iframe, ` +
        `${ms(phases.roundTripMs)} ms round trip, ${ms(phases.afterAnswerMs)} ms after the answer until renew() ` +
        `resolved (validation, storage, tab sharing); then ${ms(phases.renderMs ?? NaN)} ms the demo's render, and ` +
        `${ms(phases.iframeRemovalMs)} ms removing the iframe when the browser was idle`,
    );
  }
  print('  Peers, as reported in the project brief (not measured here): 1.21× and 1.62×');
}

/** The 95% interval of a median ratio, e.g. `1.012–1.031`. */
function interval(summary) {
  const range = summary.interval95;
  return range ? `${ratio(range.low)}–${ratio(range.high)}` : 'n/a';
}

/** Says so when a verdict rests on a median whose 95% interval reaches across the target. */
function warnIfUndecided(print, summaries, target) {
  if (summaries.some((s) => s.interval95 && s.interval95.low <= target && s.interval95.high > target)) {
    print(`  The 95% interval includes the target ${target}: a rerun may well give the other verdict.`);
  }
}

/** Left-aligned first column, right-aligned numbers, two spaces between columns, indented under the title. */
function table(print, header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  for (const row of cells) {
    const line = row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    print(`  ${line.trimEnd()}`);
  }
}
