#include "command_line.hpp"

#include "b3s/generated/build_info.hpp"

namespace b3s::agent {

CommandLine parseCommandLine(const std::vector<std::string>& args) {
    CommandLine line;
    for (const auto& arg : args) {
        if (arg == "-a" || arg == "--register" || arg == "-register")
            line.register_backend = true;
        else if (arg == "-h" || arg == "--help" || arg == "-help")
            line.help = true;
        else if (arg == "-v" || arg == "--version" || arg == "-version")
            line.version = true;
        else if (!arg.empty() && arg[0] == '-')
            throw UsageError("unknown option " + arg + " (b3scaleagent --help lists the options)");
        else
            throw UsageError("unexpected argument " + arg + " (b3scaleagent takes options only; see --help)");
    }
    return line;
}

std::string helpText() {
    return R"(Usage: b3scaleagent [-a|--register]

b3scale's node agent: runs on a BigBlueButton server, finds (or with -a registers) this
server's backend in b3scaled, sends a heartbeat every second with the node's meeting and
attendee counts and host figures, and relays BBB's meeting and user events from redis to
b3scaled.

Options:
  -a, --register   register this BBB server as a backend when b3scaled knows none for this
                   agent's token (it starts in admin state init until an operator enables it)
  -h, --help       show this text
  -v, --version    print the version

Environment:
  B3SCALE_API_URL            b3scaled's base URL, e.g. https://api.bbb.example.org (required)
  B3SCALE_API_ACCESS_TOKEN   the node agent's token (scope b3scale:node; required;
                             b3scalectl auth authorize_node_agent prints one)
  BBB_CONFIG                 bbb-web's properties (default /etc/bigbluebutton/bbb-web.properties):
                             bigbluebutton.web.serverURL, securitySalt, redisHost, redisPort,
                             redisPassword are read from it
  B3SCALE_LOAD_FACTOR        this backend's load factor (default 1.0; b3scaled bounds what a node
                             may set, by default 0.5 to 10)
  B3SCALE_AGENT_HOST_FIGURES report CPU, memory and network figures with the heartbeat
                             (default true)
  B3SCALE_LOG_LEVEL          trace, debug, info (default), warn, error, fatal, panic or -1 to 5
  B3SCALE_LOG_FORMAT         structured (JSON lines, default) or plain

When B3SCALE_API_URL is not set, the env files /etc/default/b3scaleagent,
/etc/sysconfig/b3scaleagent, /etc/default/b3scale and /etc/sysconfig/b3scale are read in this
order; a variable takes the first value found, and a variable set in the environment always
wins.

Exit codes: 0 stopped by SIGTERM/SIGINT, 64 usage, 69 b3scaled refused this agent (token not
accepted, or no backend and no -a), 78 configuration error.
)";
}

std::string versionText() {
    return std::string("b3scaleagent ") + core::build::kVersion + " (" + core::build::kBuildId + ")";
}

std::string userAgent() {
    return std::string("b3scaleagent/") + core::build::kVersion;
}

}  // namespace b3s::agent
