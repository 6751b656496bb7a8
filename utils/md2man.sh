#!/bin/sh
# md2man.sh -- turns the Markdown subset of doc/*.md into a roff man page (POSIX sh + awk)
#
# usage: md2man.sh [-d DATE] [-v VERSION] PAGE.md > PAGE.N   convert one page
#        md2man.sh -n PAGE.md                                print the names in its NAME section
#
# The subset, which is all doc/ uses:
#   line 1          # name(N) -- one-line summary          -> .TH
#   ## HEADING      section                                -> .SH
#   ### Heading     subsection                             -> .SS
#   paragraphs      separated by blank lines               -> .PP
#   * item, - item  bullet list (a 2-space indented marker nests one level)
#   1. item         numbered list
#   term            definition list: a line followed by
#   : definition    a line starting with ": "              -> .TP
#   ```             fenced code block                      -> .nf/.fi
#   `code` **bold** *italic*, and \* \` \_ \\ for the literal characters
# Continuation lines of an item or a definition are indented; a blank line
# followed by an indented line starts a new paragraph inside the same item.
# In the NAME section, markup is dropped and the " - " separator becomes "\-".
# The date comes from -d, else SOURCE_DATE_EPOCH, else the file's mtime.
# Unclosed inline markup or an unclosed code block is an error (exit 1).
set -eu

usage() {
	echo "usage: $0 [-d DATE] [-v VERSION] PAGE.md | $0 -n PAGE.md" >&2
	exit 2
}

mode=convert
date=
version=
while getopts nd:v: opt; do
	case $opt in
	n) mode=names ;;
	d) date=$OPTARG ;;
	v) version=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
src=$1
[ -r "$src" ] || { echo "$0: cannot read $src" >&2; exit 1; }
# the component a page belongs to, unless -v says otherwise
if [ -z "$version" ]; then
	case $(basename "$src") in
	rpmemd.*) version="rpmemd 0.1.0" ;;
	*.1.md) version="pmem-replication" ;;	# tools, e.g. rpmem_ackcheck(1)
	rpmem_*|librpmem.*) version="librpmem 1.3" ;;
	pmem2_*|libpmem2.*) version="libpmem2 1.12.1" ;;
	*) version="pmem-replication" ;;
	esac
fi

if [ "$mode" = names ]; then
	# the names listed before the separator in the NAME section, one per line
	exec awk '
		/^## / { in_name = ($0 ~ /^## NAME[ \t]*$/); next }
		in_name { text = text " " $0 }
		END {
			if (!match(text, / -?- /)) { print "no NAME section" > "/dev/stderr"; exit 1 }
			text = substr(text, 1, RSTART - 1)
			gsub(/[*`\\]|\(\)/, "", text)
			n = split(text, part, ",")
			for (i = 1; i <= n; i++) {
				gsub(/^[ \t]+|[ \t]+$/, "", part[i])
				if (part[i] != "")
					print part[i]
			}
		}' "$src"
fi

if [ -z "$date" ]; then
	if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
		date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d 2>/dev/null ||
			date -u -r "$SOURCE_DATE_EPOCH" +%Y-%m-%d)
	else
		date=$(date -u -r "$src" +%Y-%m-%d)
	fi
fi

awk -v date="$date" -v version="$version" -v file="$src" -v q="'" '
function fail(msg) {
	printf "%s:%d: %s\n", file, cur, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# escape a string for use inside a double-quoted macro argument
function qarg(s) {
	gsub(/\\/, "\\e", s)
	gsub(/"/, "\\(dq", s)
	return s
}

# the roff escape for the current combination of inline styles
function font(   b, i) {
	b = bold || code
	i = ital
	if (b && i)
		return "\\f(BI"
	if (b)
		return "\\fB"
	if (i)
		return "\\fI"
	return "\\fR"
}

# one character of text, escaped for roff; in code, "-" is a minus sign and
# the apostrophe must stay straight
function esc(c) {
	if (c == "\\")
		return "\\e"
	if (code && c == "-")
		return "\\-"
	if (code && c == q)
		return "\\(aq"
	return c
}

# inline markup of one line of running text; the style state carries over
# to the next line of the same block
function inline(s,   out, i, n, c, d, prev) {
	out = ""
	n = length(s)
	gsub(/ -- /, " \001 ", s)
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		d = substr(s, i + 1, 1)
		prev = i > 1 ? substr(s, i - 1, 1) : " "
		if (c == "`") {
			code = !code
			out = out font()
			continue
		}
		if (code) {
			out = out esc(c)
			continue
		}
		if (c == "\001") {
			out = out (code ? "\\-\\-" : "\\(em")
			continue
		}
		if (c == "\\" && index("*`_\\", d) > 0) {
			out = out esc(d)
			i++
			continue
		}
		if (c == "*" && d == "*") {
			bold = !bold
			out = out font()
			i++
			continue
		}
		if (c == "*") {
			if (!ital && d != " " && d != "")
				ital = 1
			else if (ital && prev != " ")
				ital = 0
			else {
				out = out "*"
				continue
			}
			out = out font()
			continue
		}
		out = out esc(c)
	}
	return out
}

# does s start with a character that roff would take for a request?
function lead(s) {
	return substr(s, 1, 1) == "." || substr(s, 1, 1) == q
}

# a line of output text: a leading "." or apostrophe would be read as a request
function text(s) {
	sub(/^[ \t]+/, "", s)
	s = inline(s)
	if (lead(s))
		s = "\\&" s
	print s
	last = "text"
}

function req(s) {
	print s
	last = s
}

# a block ends: inline styles must be closed by now
function end_block() {
	if (bold || ital || code)
		fail("unclosed inline markup (` or * or **) in this block")
}

# leave nested list levels
function unnest() {
	while (depth > 1) {
		req(".RE")
		depth--
	}
}

function end_list() {
	end_block()
	unnest()
	depth = 0
	ctx = ""
}

function paragraph() {
	if (last !~ /^\.S[HS]/)
		req(".PP")
}

function indent_of(s) {
	match(s, /^ */)
	return RLENGTH
}

function code_block(fence_indent,   line, blank, pfx) {
	if (ctx != "")
		req(".IP")
	else if (section == "SYNOPSIS")
		paragraph()
	else {
		paragraph()
		req(".RS 4")
	}
	req(".nf")
	for (cur++; cur <= nlines; cur++) {
		line = L[cur]
		if (line ~ /^[ ]*```/)
			break
		# drop the fence indentation, expand tabs to 8 columns
		pfx = substr(line, 1, fence_indent)
		if (pfx ~ /^ *$/)
			line = substr(line, fence_indent + 1)
		while ((p = index(line, "\t")) > 0)
			line = substr(line, 1, p - 1) sprintf("%" (8 - (p - 1) % 8) "s", "") substr(line, p + 1)
		code = 1
		out = ""
		for (j = 1; j <= length(line); j++)
			out = out esc(substr(line, j, 1))
		code = 0
		if (out == "")
			out = "\\&"
		else if (lead(out))
			out = "\\&" out
		print out
	}
	if (cur > nlines)
		fail("unclosed code block")
	req(".fi")
	if (ctx == "" && section != "SYNOPSIS")
		req(".RE")
	after_code = 1
}

function name_line(s) {
	gsub(/[*`]|\\|\(\)/, "", s)
	sub(/ -?- /, " \\- ", s)
	if (lead(s))
		s = "\\&" s
	print s
	last = "text"
}

{ L[NR] = $0 }

END {
	if (failed)
		exit 1
	nlines = NR
	cur = 1
	if (L[1] !~ /^# [^ ]+\([0-9][a-z]*\)( -- .*)?$/)
		fail("line 1 must be \"# name(N) -- summary\"")
	title = L[1]
	sub(/^# /, "", title)
	sub(/ -- .*/, "", title)
	name = title
	sub(/\(.*/, "", name)
	sec = title
	sub(/^[^(]*\(/, "", sec)
	sub(/\)$/, "", sec)
	printf ".\\\" generated from %s by utils/md2man.sh; edit the Markdown, not this file\n", file
	manual = sec == "1" ? "User Commands" : sec == "5" ? "File Formats Manual" : \
		sec == "7" ? "Miscellaneous Information Manual" : "Library Functions Manual"
	printf ".TH \"%s\" \"%s\" \"%s\" \"%s\" \"%s\"\n", qarg(toupper(name)), sec, date, qarg(version), manual
	# identifiers are long: no hyphenation, ragged right
	print ".nh"
	print ".ad l"
	last = ".TH"
	blank = 0

	for (cur = 2; cur <= nlines; cur++) {
		line = L[cur]

		if (line ~ /^[ \t]*$/) {
			blank = 1
			if (ctx == "" && para) {
				end_block()
				para = 0
			}
			continue
		}

		if (line ~ /^#+ /) {
			end_list()
			end_block()
			para = 0
			if (line ~ /^### /) {
				sub(/^### +/, "", line)
				req(".SS \"" qarg(line) "\"")
			} else if (line ~ /^## /) {
				sub(/^## +/, "", line)
				section = toupper(line)
				req(".SH \"" qarg(section) "\"")
			} else
				fail("only ## and ### headings are allowed after line 1")
			blank = 0
			continue
		}

		ind = indent_of(line)

		if (line ~ /^ *```/) {
			if (ctx != "" && ind < 2)
				end_list()
			end_block()
			para = 0
			code_block(ind)
			blank = 0
			continue
		}

		if (section == "NAME") {
			name_line(line)
			blank = 0
			continue
		}

		# bullet or numbered item
		if (line ~ /^ *([*-]|[0-9]+\.) /) {
			marker = line
			sub(/^ */, "", marker)
			body = marker
			sub(/^([*-]|[0-9]+\.) +/, "", body)
			sub(/ .*/, "", marker)
			end_block()
			if (ind >= 2 && ctx == "item") {
				if (depth < 2) {
					req(".RS")
					depth = 2
				}
			} else {
				if (ctx != "item")
					para = 0
				unnest()
				depth = 1
			}
			ctx = "item"
			if (marker ~ /^[0-9]/)
				req(".IP " marker " 4")
			else
				req(".IP \\(bu 2")
			text(body)
			blank = 0
			after_code = 0
			continue
		}

		# definition: this line is the term, the next line starts with ": "
		if (ind == 0 && line !~ /^: / && cur < nlines && L[cur + 1] ~ /^: /) {
			end_list()
			depth = 1
			ctx = "def"
			req(".TP")
			text(line)
			end_block()
			cur++
			body = L[cur]
			sub(/^: +/, "", body)
			text(body)
			blank = 0
			after_code = 0
			continue
		}

		if (ctx != "") {
			if (ind >= 2 && (blank || after_code)) {
				# a new paragraph inside the item
				end_block()
				unnest_to = (ind >= 4 && depth == 2) ? 2 : 1
				while (depth > unnest_to) {
					req(".RE")
					depth--
				}
				req(".IP")
				text(line)
				blank = 0
				after_code = 0
				continue
			}
			if (!blank && !after_code) {
				text(line)
				continue
			}
			end_list()
		}

		if (!para || blank || after_code) {
			end_block()
			paragraph()
			para = 1
		}
		text(line)
		blank = 0
		after_code = 0
	}
	end_list()
	end_block()
}
' "$src"
