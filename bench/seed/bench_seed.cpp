// b3s_bench_seed: registers the bench's frontends and backends through the store, the way an
// operator's tool would until the REST API exists. Works on both connectors.
//
//   b3s_bench_seed DB_URL < commands
//
// One command per line on stdin:
//   frontend <key> <secret> [required_tag,…]
//   backend  <api base url> <secret> [tag,…]
// Prints one line per row written: "<kind> <id> <key or url>".

#include "store/store.hpp"
#include "util/system_clock.hpp"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string jsonStringList(const std::vector<std::string>& items) {
    // Tags are plain words here ([A-Za-z0-9_-]); the bench never writes anything to escape.
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
    return out + "]";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: b3s_bench_seed DB_URL < commands\n";
        return 2;
    }
    b3s::core::SystemClock clock;
    b3s::core::store::StoreOptions options;
    options.url = argv[1];
    options.pool_size = 2;
    try {
        auto store = b3s::core::store::openStore(options, clock);
        std::string line;
        while (std::getline(std::cin, line)) {
            std::stringstream words(line);
            std::string kind, name, secret, tags;
            words >> kind >> name >> secret >> tags;
            if (kind.empty()) continue;
            if (kind == "frontend") {
                b3s::core::store::Frontend f;
                f.key = name;
                f.secret = secret;
                const auto required = splitCommas(tags);
                if (!required.empty()) f.settings_json = "{\"required_tags\":" + jsonStringList(required) + "}";
                const auto row = store->insertFrontend(f);
                std::cout << "frontend " << row.id << ' ' << row.key << '\n';
            } else if (kind == "backend") {
                b3s::core::store::Backend b;
                b.host = name;
                b.secret = secret;
                b.admin_state = b3s::core::store::AdminState::Ready;
                b.tags = splitCommas(tags);
                const auto row = store->insertBackend(b);
                std::cout << "backend " << row.id << ' ' << row.host << '\n';
            } else {
                std::cerr << "b3s_bench_seed: unknown command: " << line << '\n';
                return 2;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "b3s_bench_seed: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
