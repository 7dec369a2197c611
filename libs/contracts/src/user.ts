export * from './generated/junction/user/v1/user.pb';
