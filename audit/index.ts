/**
 * The audit library: what an inspector, a funder or an independent evaluator asks of a scheme,
 * answered from the journeys' Temporal histories. See docs/audit.md.
 *
 * - export: journeys' full histories (every run) to standard history JSON files;
 * - replay: those files against the current workflow code, each failure in plain words;
 * - timeline: one journey, offline, event by event (Markdown, CSV, JSON);
 * - compliance: a set of journeys against the policy each kept (Markdown, CSV, JSON);
 * - coverage: which machine states a set of histories visits.
 *
 * Everything but export and replay is pure: it reads history files and needs no server.
 */
export { historyFromJSON, historyToJSON, type History } from './history-file';
export { decodeHistory } from './history-events';
export {
  groupJourneys,
  historyFiles,
  loadEncodedJourneys,
  loadJourneys,
  readHistoryFile,
  readRun,
  HistoryFormatError,
  type Journey,
  type JourneyRun,
  type RunEnding,
} from './journey-history';
export {
  allJourneysQuery,
  exportJourney,
  exportJourneys,
  fetchJourneyHistories,
  historyFileNames,
  listJourneyIds,
  VisibilityUnsupportedError,
  type ExportProgress,
  type ExportSummary,
} from './export';
export { mirrorRun, type ConsistencyIssue, type JourneyStep, type MirroredRun } from './mirror';
export { explainReplayError, quietReplayLogs, replayJourneys, replayRun, type ReplayOptions, type ReplayProblem, type RunReplayResult } from './replay';
export { journeyTimeline, timelineOf, type Timeline, type TimelineEntry, type TimelineKind, type TimelineOptions } from './timeline';
export { complianceReport, journeyFacts, type Breach, type ComplianceOptions, type ComplianceReport, type Figures } from './compliance/report';
export { rules, type Rule } from './compliance/rules';
export { apsRequirements, mentorStandards } from './compliance/standards';
export { coverageOf, machineStates, type MachineCoverage } from './coverage';
export {
  breachesCsv,
  complianceMarkdown,
  coverageText,
  csvField,
  replayText,
  timelineCsv,
  timelineMarkdown,
} from './format';
