// b3scaleagent: b3scale's node agent (see agent_app.hpp).
#include "agent_app.hpp"
#include "agent_settings.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    namespace agent = b3s::agent;
    agent::AgentOptions options;
    // b3scale's rule: the env files are read only when B3SCALE_API_URL is not set.
    if (!agent::processEnvironment()("B3SCALE_API_URL"))
        options.env_files_read = agent::loadAgentEnvFiles(agent::agentEnvFiles());
    agent::AgentApp app(agent::processEnvironment(), std::move(options));
    return app.run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
