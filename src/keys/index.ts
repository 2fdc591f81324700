export * from './separated-duty-key';
export * from './separated-duty-key-grants';
