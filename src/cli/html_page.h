// A self-contained HTML page (inline CSS and SVG, nothing fetched) for
// `mcunet report`: sections of tables and figures.
#pragma once

#include <string>
#include <vector>

namespace mcunet::cli {

std::string HtmlEscape(const std::string& text);

// A table; cells are escaped. `highlight` rows (indices into rows) are marked.
std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::vector<size_t>& highlight = {});

// A two-column table of figure names and values.
std::string HtmlFacts(const std::vector<std::pair<std::string, std::string>>& facts);

std::string HtmlSection(const std::string& title, const std::string& body_html);

std::string HtmlPage(const std::string& title, const std::string& body_html);

// 1234567 -> "1,234,567", as the tables print bytes and counts.
std::string WithThousands(int64_t value);

}  // namespace mcunet::cli
