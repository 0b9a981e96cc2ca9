console.log('scratchnet-cli: not implemented yet');
