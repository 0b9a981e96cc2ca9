export { crop, inkBoundingBox, type Box } from './bounding-box.js';
export { centreOfMass, placeByCentreOfMass } from './centre-of-mass.js';
export { toInkMap, type GreyImage, type ImageInput } from './ink-map.js';
export { mnistPreprocessOptions, preprocessDigit, type PreprocessOptions } from './preprocess-digit.js';
export { resizeArea } from './resize-area.js';
