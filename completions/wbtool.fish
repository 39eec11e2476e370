# fish completion for wbtool
set -l commands grade mp libwb
complete -c wbtool -f
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -l data -r -F -d 'Data directory (the store)'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -l cache -r -F -d 'Cache directory'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -s q -l quiet -d 'No progress lines'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the version'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a grade -d 'Grade a program against an MP'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a mp -d 'Import, list and show MPs'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a libwb -d 'Export libwb or print its flags'

complete -c wbtool -n "__fish_seen_subcommand_from grade" -l local -d 'Grade on this machine'
complete -c wbtool -n "__fish_seen_subcommand_from grade" -s d -l dataset -x -d 'Grade only dataset N'
complete -c wbtool -n "__fish_seen_subcommand_from grade" -l json -d 'Print the report as JSON'
complete -c wbtool -n "__fish_seen_subcommand_from grade" -F

set -l mpcmds import list show
complete -c wbtool -n "__fish_seen_subcommand_from mp; and not __fish_seen_subcommand_from $mpcmds" -a import -d 'Validate and store a bundle'
complete -c wbtool -n "__fish_seen_subcommand_from mp; and not __fish_seen_subcommand_from $mpcmds" -a list -d 'List MPs'
complete -c wbtool -n "__fish_seen_subcommand_from mp; and not __fish_seen_subcommand_from $mpcmds" -a show -d 'Show one MP'
complete -c wbtool -n "__fish_seen_subcommand_from import" -l verify -d 'Grade the reference solution first'
complete -c wbtool -n "__fish_seen_subcommand_from import" -F
complete -c wbtool -n "__fish_seen_subcommand_from import list show" -l json -d 'JSON output'
complete -c wbtool -n "__fish_seen_subcommand_from show" -l version -x -d 'Version to show'

complete -c wbtool -n "__fish_seen_subcommand_from libwb" -l export -r -F -d 'Write the headers into DIR'
complete -c wbtool -n "__fish_seen_subcommand_from libwb" -l cflags -d 'Print compiler flags'
