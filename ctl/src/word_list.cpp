#include "word_list.hpp"

#include <array>
#include <random>

namespace b3s::ctl {

namespace {

// Short, unambiguous, lower-case English words (our own list).
constexpr std::array kWords = {
    "amber",   "anchor",  "apple",  "arrow",    "aspen",   "autumn", "badger",   "bamboo",  "banner",  "basil",
    "beacon",  "birch",   "bison",  "blossom",  "bramble", "breeze", "brook",    "cactus",  "canyon",  "cedar",
    "cherry",  "cinder",  "clover", "cobalt",   "comet",   "coral",  "cotton",   "crane",   "crystal", "daisy",
    "dawn",    "delta",   "desert", "dolphin",  "dune",    "eagle",  "ember",    "falcon",  "fern",    "fjord",
    "flint",   "forest",  "fox",    "frost",    "galaxy",  "garnet", "glacier",  "granite", "grove",   "harbor",
    "hazel",   "heron",   "hollow", "honey",    "horizon", "iris",   "island",   "ivory",   "jade",    "jasmine",
    "juniper", "kestrel", "lagoon", "lantern",  "larch",   "lava",   "lemon",    "lilac",   "linden",  "lotus",
    "lynx",    "magnet",  "maple",  "marble",   "meadow",  "mesa",   "meteor",   "mint",    "mist",    "moss",
    "nectar",  "nebula",  "oak",    "oasis",    "ocean",   "olive",  "onyx",     "orchid",  "otter",   "owl",
    "palm",    "panda",   "pebble", "pepper",   "pine",    "planet", "plum",     "pollen",  "poppy",   "prairie",
    "quartz",  "quill",   "rain",   "raven",    "reed",    "ridge",  "river",    "robin",   "ruby",    "saffron",
    "sage",    "salmon",  "sand",   "sapphire", "shadow",  "shell",  "sierra",   "silver",  "slate",   "sparrow",
    "spruce",  "star",    "stone",  "storm",    "summit",  "sun",    "swan",     "thistle", "thunder", "tiger",
    "timber",  "topaz",   "tulip",  "tundra",   "valley",  "velvet", "violet",   "walnut",  "willow",  "wind",
    "winter",  "wolf",    "wren",   "yarrow",   "zephyr",  "agile",  "bold",     "brave",   "bright",  "calm",
    "clever",  "cosmic",  "crisp",  "curious",  "daring",  "eager",  "early",    "fancy",   "fast",    "fierce",
    "gentle",  "glad",    "golden", "grand",    "happy",   "hidden", "humble",   "jolly",   "keen",    "kind",
    "lively",  "lucky",   "merry",  "mighty",   "misty",   "modest", "noble",    "polite",  "proud",   "quick",
    "quiet",   "rapid",   "rare",   "royal",    "rustic",  "shiny",  "silent",   "simple",  "sleek",   "smooth",
    "snowy",   "solid",   "sunny",  "swift",    "tidy",    "tiny",   "tranquil", "vivid",   "warm",    "wild",
    "wise",    "witty",   "young",  "zesty",
};

}  // namespace

std::vector<std::string_view> wordList() {
    return {kWords.begin(), kWords.end()};
}

std::string randomWords(std::size_t count, char separator) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, kWords.size() - 1);
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) out += separator;
        out += kWords[pick(rng)];
    }
    return out;
}

}  // namespace b3s::ctl
