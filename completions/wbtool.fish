# fish completion for wbtool
set -l commands grade mp libwb serve user sandbox
complete -c wbtool -f
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -l data -r -F -d 'Data directory (the store)'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -l cache -r -F -d 'Cache directory'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -s q -l quiet -d 'No progress lines'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the version'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a grade -d 'Grade a program against an MP'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a mp -d 'Import, list and show MPs'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a libwb -d 'Export libwb or print its flags'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a serve -d 'Host the HTTP API and the job queue'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a user -d 'Manage accounts on the store'

complete -c wbtool -n "__fish_seen_subcommand_from grade" -l local -d 'Grade on this machine'
complete -c wbtool -n "__fish_seen_subcommand_from grade" -s d -l dataset -x -d 'Grade only dataset N'
complete -c wbtool -n "__fish_seen_subcommand_from grade" -l json -d 'Print the report as JSON'
complete -c wbtool -n "__fish_seen_subcommand_from grade" -l min-isolation -x -a 'full userns rlimits' -d 'Refuse less sandbox isolation'
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

complete -c wbtool -n "__fish_seen_subcommand_from serve" -l listen -x -d 'Address to listen on (HOST:PORT)'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l rate-limit -x -d 'Seconds between submissions of a user'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l max-program-bytes -x -d 'Largest program text'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l max-import-bytes -x -d 'Largest uploaded bundle'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l threads -x -d 'Threads for users'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l max-long-polls -x -d 'Worker long-polls parked at once'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l lease-seconds -x -d 'Fixed job lease'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l max-tries -x -d 'Leases of a job before it fails'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l worker-key -r -F -d 'Shared worker key file'
complete -c wbtool -n "__fish_seen_subcommand_from serve" -l no-signup -d 'Refuse signups'

set -l usercmds add list key
complete -c wbtool -n "__fish_seen_subcommand_from user; and not __fish_seen_subcommand_from $usercmds" -a add -d 'Create a user'
complete -c wbtool -n "__fish_seen_subcommand_from user; and not __fish_seen_subcommand_from $usercmds" -a list -d 'List users'
complete -c wbtool -n "__fish_seen_subcommand_from user; and not __fish_seen_subcommand_from $usercmds" -a key -d 'Rotate a user API key'
complete -c wbtool -n "__fish_seen_subcommand_from user; and __fish_seen_subcommand_from add" -l role -x -a 'student ta admin' -d 'Role'
complete -c wbtool -n "__fish_seen_subcommand_from user; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the password from stdin'
complete -c wbtool -n "__fish_seen_subcommand_from user; and __fish_seen_subcommand_from add list key" -l json -d 'JSON output'
complete -c wbtool -n "not __fish_seen_subcommand_from $commands" -a sandbox -d 'Run one command in the sandbox'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l profile -x -a 'run compile' -d 'System-call profile'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l time-limit -x -d 'CPU time limit in seconds'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l wall-limit -x -d 'Wall-clock limit in seconds'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l memory-limit -x -d 'Memory limit in MiB'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l processes -x -d 'Processes and threads'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l output-limit -x -d 'Output limit in KiB'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l bind -r -F -d 'SRC[:DST][:rw]'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l workdir -r -F -d 'Work directory'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l json -d 'Print the result as JSON'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l no-isolation -d 'rlimits only'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l min-isolation -x -a 'full userns rlimits' -d 'Refuse less isolation'
complete -c wbtool -n "__fish_seen_subcommand_from sandbox" -l release-prepared -d 'remove what runs keep in /run/wbtool'
