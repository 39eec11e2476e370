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
        --dataset|-d|--version) return ;;
        --min-isolation|--worker-min-isolation) COMPREPLY=($(compgen -W "full userns rlimits" -- "$cur")); return ;;
        --worker-key|--secret-file) _filedir; return ;;
        --listen|--rate-limit|--max-program-bytes|--max-import-bytes|--threads|--max-long-polls|--lease-seconds|--max-tries|--worker-slots|--worker-max-slots|--worker-stale|--server|--name|--slots|--max-slots|--heartbeat) return ;;
        --role) COMPREPLY=($(compgen -W "student ta admin" -- "$cur")); return ;;
    esac
    case "$cmd" in
        "") COMPREPLY=($(compgen -W "grade mp libwb serve worker user sandbox $global_opts" -- "$cur")) ;;
        grade)
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "--local --dataset -d --json --min-isolation --help" -- "$cur"))
            else
                _filedir
            fi ;;
        mp)
            case "$sub" in
                "") COMPREPLY=($(compgen -W "import list show --help" -- "$cur")) ;;
                import) if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "--verify --json --help" -- "$cur")); else _filedir -d; fi ;;
                list) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
                show) COMPREPLY=($(compgen -W "--version --json --help" -- "$cur")) ;;
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
    esac
}
complete -F _wbtool wbtool
