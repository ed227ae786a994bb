//! The formulas the reader can work out itself, for a formula cell whose result the file does not
//! hold (scripts and some converters save formulas without results): constant arithmetic only —
//! numbers, `+ - * /`, parentheses (`=12+3`, `=(5+3)*2`). Anything else (a cell reference, a
//! function) is refused by the caller with a message to open and save the workbook in Excel/WPS.

/// Deepest parenthesis nesting worked out (a formula is at most 8,192 characters).
const MAX_NESTING: usize = 32;

/// The value of a formula of constant arithmetic (with or without the leading `=`), or `None`.
pub(super) fn eval(formula: &str) -> Option<f64> {
    let text = formula.trim();
    let text = text.strip_prefix('=').unwrap_or(text);
    if text.is_empty() || text.len() > 1024 {
        return None;
    }
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.sum(0)?;
    p.skip();
    (p.i == p.s.len() && v.is_finite()).then_some(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip(&mut self) {
        while self.s.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip();
        self.s.get(self.i).copied()
    }

    fn sum(&mut self, depth: usize) -> Option<f64> {
        let mut v = self.product(depth)?;
        while let Some(op @ (b'+' | b'-')) = self.peek() {
            self.i += 1;
            let r = self.product(depth)?;
            v = if op == b'+' { v + r } else { v - r };
        }
        Some(v)
    }

    fn product(&mut self, depth: usize) -> Option<f64> {
        let mut v = self.unary(depth)?;
        while let Some(op @ (b'*' | b'/')) = self.peek() {
            self.i += 1;
            let r = self.unary(depth)?;
            if op == b'/' && r == 0.0 {
                return None;
            }
            v = if op == b'*' { v * r } else { v / r };
        }
        Some(v)
    }

    fn unary(&mut self, depth: usize) -> Option<f64> {
        match self.peek()? {
            b'-' if depth < MAX_NESTING => {
                self.i += 1;
                self.unary(depth + 1).map(|v| -v)
            }
            b'+' if depth < MAX_NESTING => {
                self.i += 1;
                self.unary(depth + 1)
            }
            b'(' if depth < MAX_NESTING => {
                self.i += 1;
                let v = self.sum(depth + 1)?;
                (self.peek()? == b')').then(|| self.i += 1)?;
                Some(v)
            }
            b'0'..=b'9' | b'.' => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
                {
                    self.i += 1;
                }
                std::str::from_utf8(&self.s[start..self.i])
                    .ok()?
                    .parse()
                    .ok()
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::eval;

    #[test]
    fn constant_arithmetic_only() {
        assert_eq!(eval("=12+3"), Some(15.0));
        assert_eq!(eval("(5+3)*2"), Some(16.0));
        assert_eq!(eval("= 10 / 4 - -1"), Some(3.5));
        assert_eq!(eval("=B3+C3"), None);
        assert_eq!(eval("=SUM(1,2)"), None);
        assert_eq!(eval("=1/0"), None);
        assert_eq!(eval("=(1"), None);
        assert_eq!(
            eval(&format!("={}1{}", "(".repeat(100), ")".repeat(100))),
            None
        );
    }
}
