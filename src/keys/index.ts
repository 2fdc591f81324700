export * from './key-interface';
export * from './separated-duty-key';
export * from './separated-duty-key-grants';
export * from './multi-region-key-set';
