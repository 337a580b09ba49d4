package io.batchgate.catalog.jp1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ajsprint writes the manager's encoding: the Japanese sample, written here in Shift_JIS, imports the same. */
class EncodingTests {

    @TempDir
    Path dir;

    private Path sjis;

    @BeforeEach
    void writeTheSampleInShiftJis() throws IOException {
        String text = Files.readString(Jp1Run.CORPUS.resolve("japanese.ajsprint"), StandardCharsets.UTF_8);
        byte[] bytes = text.getBytes(AjsText.SHIFT_JIS);
        // round trip: every character of the sample (① included) exists in windows-31j
        assertThat(new String(bytes, AjsText.SHIFT_JIS)).isEqualTo(text);
        sjis = Files.createDirectories(dir.resolve("sjis")).resolve("japanese.ajsprint");
        Files.write(sjis, bytes);
    }

    @Test
    void detectsShiftJisAndWritesTheSameCatalogAsFromUtf8() throws IOException {
        Jp1Run fromUtf8 = Jp1Run.into(dir.resolve("utf8-out"), List.of(), Jp1Run.corpus("japanese.ajsprint"));
        Jp1Run fromSjis = Jp1Run.into(dir.resolve("sjis-out"), List.of(), sjis.toString());

        assertThat(fromSjis.exitCode()).isEqualTo(fromUtf8.exitCode()).isEqualTo(Jp1ImportCommand.ALL_MAPPED);
        SortedMap<String, String> utf8 = Jp1ImportGoldenTests.files(dir.resolve("utf8-out"));
        SortedMap<String, String> shiftJis = Jp1ImportGoldenTests.files(dir.resolve("sjis-out"));
        utf8.keySet().removeIf(name -> name.startsWith("import-report"));
        shiftJis.keySet().removeIf(name -> name.startsWith("import-report"));
        assertThat(shiftJis).isEqualTo(utf8);
        assertThat(shiftJis.get("u-67865a31-u-ae020f5d.yaml")).contains("AJSJOBNAME: \"/夜間バッチ/売上集計/集計\"");
        assertThat(Files.readString(dir.resolve("sjis-out/import-report.md")))
                .contains("Read: `" + sjis + "` (Shift_JIS (windows-31j))");
    }

    @Test
    void theEncodingOptionOverridesTheDetection() {
        Jp1Run asUtf8 = Jp1Run.into(dir.resolve("out"), List.of("--encoding", "UTF-8"), sjis.toString());
        Jp1Run asSjis = Jp1Run.into(dir.resolve("out2"), List.of("--encoding", "Shift_JIS"), sjis.toString());

        assertThat(asUtf8.exitCode()).isEqualTo(Jp1ImportCommand.UNREADABLE);
        assertThat(asUtf8.errLines())
                .first()
                .isEqualTo(sjis + ":1:1: the file is not UTF-8; give its encoding with --encoding");
        assertThat(asSjis.exitCode()).isEqualTo(Jp1ImportCommand.ALL_MAPPED);
    }

    @Test
    void bytesThatAreNeitherUtf8NorShiftJisAreUnreadable() throws IOException {
        Path bad = dir.resolve("bad.ajsprint");
        // 0x85 0x40 is an unassigned Shift_JIS code (and not UTF-8)
        Files.write(bad, new byte[] {'u', 'n', 'i', 't', '=', (byte) 0x85, 0x40, ';'});

        Jp1Run run = Jp1Run.into(dir.resolve("out"), List.of(), bad.toString());

        assertThat(run.exitCode()).isEqualTo(Jp1ImportCommand.UNREADABLE);
        assertThat(run.errLines())
                .first()
                .isEqualTo(bad + ":1:1: the file is neither UTF-8 nor Shift_JIS (windows-31j); give its encoding with"
                        + " --encoding");
    }
}
