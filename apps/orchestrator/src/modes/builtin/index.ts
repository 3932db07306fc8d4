export { specMode } from './spec/mode';
export { debugMode } from './debug/mode';
export { securityReviewMode } from './security/mode';
export { optimizationMode } from './optimization/mode';
