#pragma once
// The agent's loggers, one per part, named like b3scaled's (b3s.agent.<part>); they write to
// core's process-wide LogSink, so the agent's lines look exactly like b3scaled's.

#include "log/logger.hpp"

namespace b3s::agent {

inline const core::log::Logger& agentLog() {
    static const core::log::Logger log("b3s.agent");
    return log;
}
inline const core::log::Logger& registrationLog() {
    static const core::log::Logger log("b3s.agent.registration");
    return log;
}
inline const core::log::Logger& heartbeatLog() {
    static const core::log::Logger log("b3s.agent.heartbeat");
    return log;
}
inline const core::log::Logger& redisLog() {
    static const core::log::Logger log("b3s.agent.redis");
    return log;
}
inline const core::log::Logger& relayLog() {
    static const core::log::Logger log("b3s.agent.relay");
    return log;
}
inline const core::log::Logger& seedLog() {
    static const core::log::Logger log("b3s.agent.seed");
    return log;
}

}  // namespace b3s::agent
