#pragma once
// Random readable names: two words for test meetings and their moderator, three joined by '-'
// for a node agent's ref when none is given. Names, not secrets (std::random_device seeded).

#include <string>
#include <string_view>
#include <vector>

namespace b3s::ctl {

/// Every word of the list (for tests).
std::vector<std::string_view> wordList();

/// `count` random words joined by `separator`.
std::string randomWords(std::size_t count, char separator);

}  // namespace b3s::ctl
