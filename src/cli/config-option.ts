// The `--config` option every command that reads the config shares: one description, one lookup
// (src/config/load.ts), so that the help of each command says the same thing.
export const CONFIG_DESCRIBE = 'config file (default: ./logmedic.config.{yaml,yml,json}, then $XDG_CONFIG_HOME/logmedic/)';
