# bash completion for wbtool
_wbtool() {
    local cur prev words cword
    _init_completion || return
    local global_opts="--data --cache --quiet -q --help -h --version"
    local cmd="" sub="" i
    for ((i = 1; i < cword; i++)); do
        case "${words[i]}" in
            --data|--cache) ((i++)) ;;
            -*) ;;
            *) if [[ -z "$cmd" ]]; then cmd=${words[i]}; elif [[ -z "$sub" ]]; then sub=${words[i]}; fi ;;
        esac
    done
    case "$prev" in
        --data|--cache|--export) _filedir -d; return ;;
        --output|-o) _filedir; return ;;
        --user|-u|--mp) return ;;
        --dataset|-d|--version) return ;;
        --min-isolation|--worker-min-isolation) COMPREPLY=($(compgen -W "full userns rlimits" -- "$cur")); return ;;
        --worker-key|--secret-file) _filedir; return ;;
        --listen|--rate-limit|--max-program-bytes|--max-import-bytes|--threads|--max-long-polls|--lease-seconds|--max-tries|--worker-slots|--worker-max-slots|--worker-stale|--server|--name|--slots|--max-slots|--heartbeat) return ;;
        --role) COMPREPLY=($(compgen -W "student ta admin" -- "$cur")); return ;;
    esac
    case "$cmd" in
        "") COMPREPLY=($(compgen -W "grade mp libwb serve worker user sandbox login signup logout whoami save program submit attempts attempt grades workers $global_opts" -- "$cur")) ;;
        grade)
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "--local --dataset -d --json --min-isolation --server --help" -- "$cur"))
            else
                _filedir
            fi ;;
        mp)
            case "$sub" in
                "") COMPREPLY=($(compgen -W "import list show --help" -- "$cur")) ;;
                import) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--verify --json --server --help" -- "$cur")); else _filedir -d; fi ;;
                list) COMPREPLY=($(compgen -W "--json --server --help" -- "$cur")) ;;
                show) COMPREPLY=($(compgen -W "--version --json --server --help" -- "$cur")) ;;
            esac ;;
        libwb) COMPREPLY=($(compgen -W "--export --cflags --help" -- "$cur")) ;;
        sandbox) COMPREPLY=($(compgen -W "--profile --time-limit --wall-limit --memory-limit --processes --output-limit --bind --workdir --json --no-isolation --min-isolation --release-prepared --help" -- "$cur")) ;;
        serve) COMPREPLY=($(compgen -W "--listen --rate-limit --max-program-bytes --max-import-bytes --threads --max-long-polls --lease-seconds --max-tries --worker-key --no-signup --no-worker --worker-slots --worker-max-slots --worker-stale --worker-min-isolation --data --cache --help" -- "$cur")) ;;
        worker) COMPREPLY=($(compgen -W "--server --secret-file --name --slots --max-slots --heartbeat --min-isolation --data --cache --help" -- "$cur")) ;;
        user)
            case "$sub" in
                "") COMPREPLY=($(compgen -W "add list key --help" -- "$cur")) ;;
                add) COMPREPLY=($(compgen -W "--role --password-stdin --json --help" -- "$cur")) ;;
                list|key) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
            esac ;;
        login|signup) COMPREPLY=($(compgen -W "--server --user -u --password-stdin --json --help" -- "$cur")) ;;
        logout|whoami|workers) COMPREPLY=($(compgen -W "--server --json --help" -- "$cur")) ;;
        save) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--server --json --help" -- "$cur")); else _filedir; fi ;;
        program) COMPREPLY=($(compgen -W "--server --output -o --json --help" -- "$cur")) ;;
        submit) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--server --dataset -d --wait -w --json --help" -- "$cur")); else _filedir; fi ;;
        attempts) COMPREPLY=($(compgen -W "--server --json --help" -- "$cur")) ;;
        attempt)
            case "$sub" in
                "") COMPREPLY=($(compgen -W "show --help" -- "$cur")) ;;
                show) COMPREPLY=($(compgen -W "--server --json --help" -- "$cur")) ;;
            esac ;;
        grades) COMPREPLY=($(compgen -W "--server --mp --csv --json --help" -- "$cur")) ;;
    esac
}
complete -F _wbtool wbtool
