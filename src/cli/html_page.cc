#include "cli/html_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace mcunet::cli {

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::vector<size_t>& highlight) {
  std::string html = "<table>\n<tr>";
  for (const std::string& h : header) html += "<th>" + HtmlEscape(h) + "</th>";
  html += "</tr>\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const bool marked = std::find(highlight.begin(), highlight.end(), r) != highlight.end();
    html += marked ? "<tr class='mark'>" : "<tr>";
    for (const std::string& cell : rows[r]) html += "<td>" + HtmlEscape(cell) + "</td>";
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

std::string HtmlFacts(const std::vector<std::pair<std::string, std::string>>& facts) {
  std::string html = "<table class='facts'>\n";
  for (const auto& [name, value] : facts) {
    html += "<tr><th>" + HtmlEscape(name) + "</th><td>" + HtmlEscape(value) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

std::string HtmlSection(const std::string& title, const std::string& body_html) {
  return "<section>\n<h2>" + HtmlEscape(title) + "</h2>\n" + body_html + "</section>\n";
}

std::string HtmlPage(const std::string& title, const std::string& body_html) {
  return "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n<title>" +
         HtmlEscape(title) +
         "</title>\n<style>\n"
         "body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}\n"
         "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;"
         "padding-bottom:.2em;margin-top:2em}\n"
         "table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\n"
         "th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}\n"
         "th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}\n"
         "table.facts th{text-align:left}table.facts td{text-align:left}\n"
         "tr.mark td{background:#fff3c4;font-weight:bold}\n"
         ".ok{color:#1a7f37}.bad{color:#b42318}svg{max-width:100%;height:auto}\n"
         "</style>\n</head>\n<body>\n<h1>" +
         HtmlEscape(title) + "</h1>\n" + body_html + "</body>\n</html>\n";
}

std::string WithThousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return (value < 0 ? "-" : "") + digits;
}

}  // namespace mcunet::cli
