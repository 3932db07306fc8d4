export { METRICS_FILE, PerformanceMonitor, type HistoryOptions, type MetricsLog } from './performance-monitor';
export { runRecordSchema, UNLABELLED, type RecordExtra, type RunKind, type RunRecord } from './run-record';
export { summarize, type GroupSummary, type PerformanceSummary, type SpeedupStats } from './summary';
export { computeTrends, type LabelTrend, type TrendDirection, type TrendOptions, type TrendPoint, type TrendReport, type TrendWindow } from './trends';
export { recommend, type Recommendation, type RecommendationOptions, type RecommendationRule } from './recommendations';
export { compareConcurrency, type ConcurrencyComparison } from './compare';
export { formatComparison, formatMs, formatRecommendations, formatSummary, formatTrends } from './format';
