package io.batchgate.catalog.jp1;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes an {@code ajsprint} file. {@code ajsprint} writes the manager's encoding, commonly Shift_JIS: bytes that are
 * valid UTF-8 are read as UTF-8 (plain ASCII is both), anything else as windows-31j, the Shift_JIS variant Windows and
 * JP1 actually use (it has the NEC and IBM extensions, e.g. ① and ㈱, that strict Shift_JIS lacks).
 */
record AjsText(String text, Charset charset) {

    static final Charset SHIFT_JIS = Charset.forName("windows-31j");

    /** @param forced the charset given with {@code --encoding}, if any */
    static AjsText decode(String file, byte[] bytes, Optional<Charset> forced) {
        if (forced.isPresent()) {
            return new AjsText(
                    strict(bytes, forced.get()).orElseThrow(() -> notDecodable(file, forced.get())), forced.get());
        }
        Optional<String> utf8 = strict(bytes, StandardCharsets.UTF_8);
        if (utf8.isPresent()) {
            return new AjsText(utf8.get(), StandardCharsets.UTF_8);
        }
        return new AjsText(strict(bytes, SHIFT_JIS).orElseThrow(() -> notDecodable(file, SHIFT_JIS)), SHIFT_JIS);
    }

    private static Optional<String> strict(byte[] bytes, Charset charset) {
        try {
            return Optional.of(charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static InputException notDecodable(String file, Charset charset) {
        String tried =
                charset.equals(SHIFT_JIS) ? "neither UTF-8 nor Shift_JIS (windows-31j)" : "not " + charset.name();
        return new InputException(java.util.List.of(
                new InputError(file, 1, 1, "the file is " + tried + "; give its encoding with --encoding")));
    }
}
