/**
 * `~` and `~/…` in a path the user wrote (a setting, a config value, a flag given as `--bank=~/bank` or quoted, which
 * no shell expands) mean the home folder, as they do in a shell. `~user` is left as it is. Pure: the home folder is given.
 */
export function expandHome(value: string, home: string): string {
  return /^~(?=$|[/\\])/.test(value) ? home + value.slice(1) : value;
}
