export { crop, inkBoundingBox, type Box } from './bounding-box.js';
export { centreOfMass, placeByCentreOfMass } from './centre-of-mass.js';
export { toInkMap, type GreyImage, type ImageInput } from './ink-map.js';
export { MNIST_STROKE_WIDTH_RANGE, mnistPreprocessOptions, preprocessDigit, type PreprocessOptions } from './preprocess-digit.js';
export { offsetStrokes, strokeWidth } from './stroke-width.js';
export { squaredDistanceToSet } from './distance-transform.js';
export { resizeArea } from './resize-area.js';
