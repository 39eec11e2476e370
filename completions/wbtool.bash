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
    esac
    case "$cmd" in
        "") COMPREPLY=($(compgen -W "grade mp libwb $global_opts" -- "$cur")) ;;
        grade)
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "--local --dataset -d --json --help" -- "$cur"))
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
    esac
}
complete -F _wbtool wbtool
