package io.longtail.datasets.lvis;

import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level JSON lexer shared by {@link ResultsReader} and {@link BoxAnnotationsReader}: reads
 * an {@link InputStream} through a 1 MB buffer and gives structure ({@link #empty}, {@link #more}),
 * field names (matched against a reader's known names without a string object), numbers into
 * primitives ({@link #readNumber}: exact as {@link Double#parseDouble}), strings as unescaped UTF-8
 * bytes, and skipping of unknown values. Only syntax errors are reported here, through {@link
 * #syntax}, which every reader turns into an {@link AnnotationFileException} naming its record;
 * checking values is the reader's.
 *
 * <p>Not thread-safe: one instance per piece of a file being parsed.
 */
abstract class JsonBytes {

  static final int BUFFER = 1 << 20;

  /** Exact powers of ten as doubles. */
  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  /** Thrown to stop at the first problem (no stack trace: it is caught at once). */
  static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;

    Stop() {
      super(null, null, false, false);
    }
  }

  InputStream in;
  byte[] buf = new byte[BUFFER];
  int pos;
  int lim;

  /** Stream offset of {@code buf[0]}. */
  long bufOffset;

  boolean eof;

  /** A field name or a number's text (unescaped). */
  byte[] text = new byte[256];

  int textLength;

  /** The string value read with {@code readString(true)} (kept apart from {@link #text}). */
  byte[] string = new byte[1024];

  int stringLength;

  /** Where the text of the number just read is. */
  private byte[] numberSource;

  private int numberFrom;
  private char[] chars = new char[64];
  private int numberTo;

  /** The number just read: integral (and in {@link #longValue}) or a double. */
  boolean integral;

  long longValue;
  double doubleValue;

  /**
   * Reports a syntax error at the current position and stops.
   *
   * @param what what was expected or found
   * @throws Stop always
   */
  abstract void syntax(String what) throws Stop;

  /**
   * The known field name {@code s[from, from + n)} is, as the reader's constant, or null for a name
   * the reader does not know.
   */
  abstract byte[] knownName(byte[] s, int from, int n);

  /** Starts reading {@code input}, whose first byte is at {@code offset} of the stream. */
  final void start(InputStream input, long offset) {
    this.in = input;
    this.bufOffset = offset;
    this.pos = 0;
    this.lim = 0;
    this.eof = false;
  }

  /** Stream offset of the last byte read (where a syntax error is). */
  final long offset() {
    return bufOffset + Math.max(0, pos - 1);
  }

  /**
   * Reads {@code "name":} and returns the known name's constant ({@link #knownName}), or {@link
   * #text} (holding the name, {@link #textLength} bytes) for another name.
   */
  final byte[] fieldName() throws IOException, Stop {
    if (nextNonWhitespace() != '"') {
      syntax("expected a field name");
    }
    byte[] name;
    ensure(32);
    int i = pos;
    byte[] b = buf;
    while (i < lim && b[i] != '"' && b[i] != '\\') {
      i++;
    }
    if (i < lim && b[i] == '"') {
      // Fast path: a name without escapes, matched in the buffer.
      name = knownName(b, pos, i - pos);
      if (name == null) {
        textLength = 0;
        appendText(b, pos, i - pos);
        name = text;
      }
      pos = i + 1;
    } else {
      readString(false);
      name = knownName(text, 0, textLength);
      if (name == null) {
        name = text;
      }
    }
    if (nextNonWhitespace() != ':') {
      syntax("expected ':' after a field name");
    }
    return name;
  }

  /** Whether {@code s[from, from + n)} equals {@code name}. */
  static boolean matches(byte[] s, int from, int n, byte[] name) {
    if (n != name.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s[from + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} as ASCII bytes (field names). */
  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static boolean isWhitespace(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** After an opening bracket: whether {@code close} follows at once (an empty array or object). */
  final boolean empty(char close) throws IOException {
    if (nextNonWhitespace() == close) {
      return true;
    }
    pos--;
    return false;
  }

  /** After an element: true at a comma, false at {@code close}; anything else is an error. */
  final boolean more(char close, String where) throws IOException, Stop {
    int c = nextNonWhitespace();
    if (c == ',') {
      return true;
    }
    if (c != close) {
      syntax("expected ',' or '" + close + "' in " + where);
    }
    return false;
  }

  // ---- values -------------------------------------------------------------------------------

  /** {@code NaN}, {@code Infinity}, {@code -Infinity} or {@code +Infinity}. */
  final double nonNumeric() throws IOException, Stop {
    int c = peek();
    if (c == 'N') {
      if (literal("NaN")) {
        return Double.NaN;
      }
    } else {
      boolean negative = c == '-';
      if (c == '-' || c == '+') {
        pos++;
      }
      if (literal("Infinity")) {
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    syntax("invalid number");
    return 0;
  }

  /**
   * Reads a JSON number into {@link #integral}, {@link #longValue}, {@link #doubleValue}; its text
   * stays in {@link #text}.
   */
  final void readNumber() throws IOException, Stop {
    ensure(64);
    // Fast path, one pass: the number is parsed where it lies in the buffer.
    int end = parseNumber(buf, pos, lim);
    if (end >= 0 && (end < lim ? !isNumberByte(buf[end]) : eof)) {
      pos = end;
      return;
    }
    int run = pos;
    while (run < lim && isNumberByte(buf[run])) {
      run++;
    }
    if (run < lim || eof) {
      numberTo = run;
      syntax("invalid number " + numberText());
    }
    // The number reaches the end of the buffer (64 bytes or more): collect it first.
    textLength = 0;
    int c;
    while ((c = peek()) >= 0 && isNumberByte(c)) {
      if (textLength > 4096) {
        syntax("number too long");
      }
      appendText(buf, pos, 1);
      pos++;
    }
    if (parseNumber(text, 0, textLength) != textLength) {
      numberTo = textLength;
      syntax("invalid number " + numberText());
    }
  }

  final void appendText(byte[] b, int from, int n) {
    if (textLength + n > text.length) {
      text = java.util.Arrays.copyOf(text, Math.max(2 * text.length, textLength + n));
    }
    System.arraycopy(b, from, text, textLength, n);
    textLength += n;
  }

  /**
   * Parses the longest JSON number that starts at {@code s[from]} and ends by {@code n} into {@link
   * #integral}, {@link #longValue}, {@link #doubleValue}; returns its end, or -1 when the bytes
   * there do not start a valid number. The caller checks what follows.
   */
  final int parseNumber(byte[] s, int from, int n) {
    // Grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    numberSource = s;
    numberFrom = from;
    numberTo = n;
    int i = from;
    boolean negative = false;
    if (i < n && s[i] == '-') {
      negative = true;
      i++;
    }
    // Digits accumulate without checks; with more than 18 of them (the mantissa may overflow) the
    // value is not taken from the mantissa.
    int intStart = i;
    long mantissa = 0;
    while (i < n) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      mantissa = 10 * mantissa + d;
      i++;
    }
    int intDigits = i - intStart;
    if (intDigits == 0 || (intDigits > 1 && s[intStart] == '0')) {
      return -1;
    }
    int fracDigits = 0;
    boolean isIntegral = true;
    if (i < n && s[i] == '.') {
      isIntegral = false;
      i++;
      int fracStart = i;
      while (i < n) {
        int d = s[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        mantissa = 10 * mantissa + d;
        i++;
      }
      fracDigits = i - fracStart;
      if (fracDigits == 0) {
        return -1;
      }
    }
    boolean exact = intDigits + fracDigits <= 18; // value = mantissa * 10^scale
    int scale = -fracDigits;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
      isIntegral = false;
      i++;
      boolean negativeExponent = false;
      if (i < n && (s[i] == '+' || s[i] == '-')) {
        negativeExponent = s[i] == '-';
        i++;
      }
      int expStart = i;
      int exponent = 0;
      while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (exponent < 100_000) {
          exponent = 10 * exponent + (s[i] - '0');
        }
        i++;
      }
      if (i == expStart) {
        return -1;
      }
      scale += negativeExponent ? -exponent : exponent;
    }
    numberTo = i;
    if (isIntegral && exact) {
      integral = true;
      longValue = negative ? -mantissa : mantissa;
      return i;
    }
    integral = false;
    if (exact && mantissa <= EXACT_MANTISSA && scale >= -22 && scale <= 22) {
      doubleValue = exactDecimal(mantissa, scale, negative);
    } else {
      doubleValue = parseDouble(numberSource, numberFrom, numberTo);
      if (isIntegral && Math.abs(doubleValue) < 0x1p63) {
        // a long integer beyond 18 digits
        try {
          longValue = Long.parseLong(numberText());
          integral = true;
        } catch (NumberFormatException e) {
          // out of the long range: stays a double
        }
      }
    }
    return i;
  }

  /** The largest mantissa {@link #exactDecimal} takes: every long up to it is an exact double. */
  static final long EXACT_MANTISSA = 1L << 53;

  /**
   * {@code (negative ? -1 : 1) * mantissa * 10^scale} correctly rounded, as parseDouble gives it,
   * for {@code mantissa <= EXACT_MANTISSA} and {@code |scale| <= 22} (Clinger's fast path: both
   * operands are exact doubles, so there is one rounding).
   */
  static double exactDecimal(long mantissa, int scale, boolean negative) {
    double m = mantissa;
    double v = scale >= 0 ? m * POWERS[scale] : m / POWERS[-scale];
    return negative ? -v : v;
  }

  /**
   * {@code s[from, to)} (a valid JSON number) as {@link Double#parseDouble} reads it, through
   * Jackson's FastDoubleParser (also correctly rounded; {@link LvisReader} reads numbers with it):
   * about 10x faster than {@code parseDouble} on the 17-digit values Python writes for results of
   * float arithmetic ({@code 35.389999999999986}), which miss the exact fast path.
   */
  private double parseDouble(byte[] s, int from, int to) {
    int n = to - from;
    if (chars.length < n) {
      chars = new char[Math.max(n, 2 * chars.length)];
    }
    for (int i = 0; i < n; i++) {
      chars[i] = (char) s[from + i];
    }
    return NumberInput.parseDouble(chars, 0, n, true);
  }

  static boolean isNumberByte(int c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  /** The text of the number just read (valid until the buffer moves). */
  final String numberText() {
    return new String(numberSource, numberFrom, numberTo - numberFrom, StandardCharsets.UTF_8);
  }

  /**
   * Reads a string after its opening quote, unescaped, into {@link #string} ({@code intoString}) or
   * {@link #text}.
   */
  final void readString(boolean intoString) throws IOException, Stop {
    byte[] out = intoString ? string : text;
    int n = 0;
    while (true) {
      // Fast scan of plain bytes within the buffer.
      int p = pos;
      int l = lim;
      byte[] b = buf;
      int from = p;
      while (p < l) {
        byte c = b[p];
        if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
          break;
        }
        p++;
      }
      int run = p - from;
      if (run > 0) {
        if (n + run > out.length) {
          out = java.util.Arrays.copyOf(out, Math.max(2 * out.length, n + run));
        }
        System.arraycopy(b, from, out, n, run);
        n += run;
      }
      pos = p;
      if (p == l) {
        if (!fill()) {
          syntax("unexpected end of file in a string");
        }
        continue;
      }
      byte c = b[p];
      pos++;
      if (c == '"') {
        break;
      }
      if (c != '\\') {
        syntax("control character in a string");
      }
      int e = next();
      int ch;
      switch (e) {
        case '"', '\\', '/' -> ch = e;
        case 'b' -> ch = '\b';
        case 'f' -> ch = '\f';
        case 'n' -> ch = '\n';
        case 'r' -> ch = '\r';
        case 't' -> ch = '\t';
        case 'u' -> ch = hex4();
        default -> {
          syntax("invalid escape in a string");
          ch = 0;
        }
      }
      if (ch >= 0xD800 && ch <= 0xDBFF && peek() == '\\' && peekAt(1) == 'u') {
        pos += 2;
        int low = hex4();
        ch = low >= 0xDC00 && low <= 0xDFFF ? Character.toCodePoint((char) ch, (char) low) : '?';
      } else if (ch >= 0xD800 && ch <= 0xDFFF) {
        ch = '?';
      }
      byte[] utf8 = new String(Character.toChars(ch)).getBytes(StandardCharsets.UTF_8);
      if (n + utf8.length > out.length) {
        out = java.util.Arrays.copyOf(out, 2 * out.length + utf8.length);
      }
      System.arraycopy(utf8, 0, out, n, utf8.length);
      n += utf8.length;
    }
    if (intoString) {
      string = out;
      stringLength = n;
    } else {
      text = out;
      textLength = n;
    }
  }

  final int hex4() throws IOException, Stop {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int c = next();
      int d = Character.digit(c < 0 ? -1 : c, 16);
      if (d < 0) {
        syntax("invalid \\u escape in a string");
      }
      v = 16 * v + d;
    }
    return v;
  }

  /** Skips any JSON value (unknown fields). */
  final void skipValue() throws IOException, Stop {
    int c = nextNonWhitespace();
    if (c == '"') {
      skipString();
      return;
    }
    if (c == '{' || c == '[') {
      // Nested values are scanned for brackets and strings only, in the buffer (the polygons of
      // an annotation file are most of its bytes).
      int depth = 1;
      while (true) {
        if (pos == lim && !fill()) {
          syntax("unexpected end of file");
        }
        byte[] b = buf;
        int p = pos;
        int l = lim;
        boolean inString = false;
        while (p < l) {
          byte x = b[p++];
          if (x == '"') {
            inString = true;
            break;
          } else if (x == '{' || x == '[') {
            depth++;
          } else if ((x == '}' || x == ']') && --depth == 0) {
            pos = p;
            return;
          }
        }
        pos = p;
        if (inString) {
          skipString();
        }
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      pos--;
      readNumber();
      return;
    }
    pos--;
    if (!(literal("true") || literal("false") || literal("null") || literal("NaN"))) {
      if (c == 'I' || c == '+') {
        nonNumeric();
        return;
      }
      syntax("expected a value");
    }
  }

  final void skipString() throws IOException, Stop {
    while (true) {
      int c = next();
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        next();
      } else if (c < 0) {
        syntax("unexpected end of file in a string");
      }
    }
  }

  /** Consumes {@code word} if it comes next. */
  final boolean literal(String word) throws IOException {
    for (int k = 0; k < word.length(); k++) {
      if (peekAt(k) != word.charAt(k)) {
        return false;
      }
    }
    pos += word.length();
    return true;
  }

  // ---- bytes ---------------------------------------------------------------------------------

  /** Moves the unread bytes to the front and reads more; false at the end of the input. */
  final void ensure(int k) throws IOException {
    while (lim - pos < k && !eof) {
      fill();
    }
  }

  final boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int keep = lim - pos;
    System.arraycopy(buf, pos, buf, 0, keep);
    bufOffset += pos;
    pos = 0;
    lim = keep;
    while (lim < buf.length) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
        break;
      }
      lim += r;
      if (r > 0 && lim - keep >= BUFFER / 2) {
        break;
      }
    }
    return lim > keep;
  }

  final int next() throws IOException {
    if (pos == lim && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  final int peek() throws IOException {
    if (pos == lim && !fill()) {
      return -1;
    }
    return buf[pos] & 0xff;
  }

  /** The byte {@code k} ahead (k small), or -1. */
  final int peekAt(int k) throws IOException {
    while (pos + k >= lim) {
      if (!fill()) {
        return -1;
      }
    }
    return buf[pos + k] & 0xff;
  }

  final void skipWhitespace() throws IOException {
    while (true) {
      while (pos < lim) {
        if (!isWhitespace(buf[pos])) {
          return;
        }
        pos++;
      }
      if (!fill()) {
        return;
      }
    }
  }

  final int nextNonWhitespace() throws IOException {
    skipWhitespace();
    return next();
  }

  final int peekNonWhitespace() throws IOException {
    skipWhitespace();
    return peek();
  }

  final String describeNext() throws IOException {
    skipWhitespace();
    int c = peek();
    return switch (c) {
      case '{' -> "an object";
      case '[' -> "an array";
      case '"' -> "a string";
      case 't', 'f' -> "a boolean";
      case -1 -> "the end of the file";
      default -> "'" + (char) c + "'";
    };
  }
}
