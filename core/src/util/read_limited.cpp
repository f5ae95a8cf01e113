#include "util/read_limited.hpp"

namespace b3s::core {

std::optional<std::string> readLimited(std::istream& in, std::size_t limit) {
    std::string out;
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        out.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (out.size() > limit) return std::nullopt;
    }
    return out;
}

}  // namespace b3s::core
