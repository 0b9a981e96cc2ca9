export { closest, editDistance } from '@scratchnet/core';
