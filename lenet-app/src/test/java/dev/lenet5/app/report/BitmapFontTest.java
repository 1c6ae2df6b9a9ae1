package dev.lenet5.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The font's table against its pictures in {@code glyphs.txt}, and text drawn from it. */
class BitmapFontTest {

    /** Each glyph of {@code glyphs.txt}: a line {@code U+0041 A}, then nine rows of five {@code .} or {@code #}. */
    static Map<Character, List<String>> pictures() throws IOException {
        try (InputStream in = BitmapFontTest.class.getResourceAsStream("glyphs.txt")) {
            assertNotNull(in, "glyphs.txt");
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
            Map<Character, List<String>> glyphs = new HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("U+")) {
                    char c = (char) Integer.parseInt(lines.get(i).substring(2, 6), 16);
                    glyphs.put(c, lines.subList(i + 1, i + 1 + BitmapFont.ROWS));
                }
            }
            return glyphs;
        }
    }

    @Test
    void theTableEncodesTheGlyphPictures() throws IOException {
        Map<Character, List<String>> pictures = pictures();
        assertEquals(95, pictures.size(), "printable ASCII, space to tilde");
        for (char c = ' '; c <= '~'; c++) {
            List<String> rows = pictures.get(c);
            for (int row = 0; row < BitmapFont.ROWS; row++) {
                for (int col = 0; col < BitmapFont.GLYPH_WIDTH; col++) {
                    assertEquals(rows.get(row).charAt(col) == '#', BitmapFont.pixel(BitmapFont.glyph(c), row, col),
                            "'" + c + "' row " + row + " column " + col);
                }
            }
        }
    }

    @Test
    void everyCharacterHasItsOwnGlyphAndOnlySpaceIsBlank() {
        Map<Long, Character> seen = new HashMap<>();
        for (char c = ' '; c <= '~'; c++) {
            long glyph = BitmapFont.glyph(c);
            Character before = seen.put(glyph, c);
            assertEquals(null, before, "'" + c + "' draws like '" + before + "'");
            assertEquals(c == ' ', glyph == 0, "'" + c + "'");
        }
        assertEquals(BitmapFont.glyph('?'), BitmapFont.glyph('\u00e9'), "outside ASCII: a question mark");
        assertEquals(BitmapFont.glyph('?'), BitmapFont.glyph('\n'));
        assertNotEquals(0, BitmapFont.glyph('~'));
    }

    @Test
    void textDrawsEachFontPixelAsAScaleByScaleBlock() throws IOException {
        List<String> g = pictures().get('g');
        int scale = 3;
        Raster image = new Raster(40, 40, 0xFFFFFF);
        image.text("xg", 2, 1, scale, 0x000000);
        int left = 2 + BitmapFont.ADVANCE * scale;   // the second glyph
        int dark = 0;
        int descender = 0;
        for (int y = 0; y < image.height; y++) {
            for (int x = left; x < left + BitmapFont.GLYPH_WIDTH * scale; x++) {
                int row = (y - 1) / scale;
                boolean ink = y >= 1 && row < BitmapFont.ROWS && g.get(row).charAt((x - left) / scale) == '#';
                assertEquals(ink ? 0x000000 : 0xFFFFFF, image.get(x, y), "at " + x + "," + y);
                dark += ink ? 1 : 0;
                descender += ink && row >= BitmapFont.CAP_HEIGHT ? 1 : 0;
            }
        }
        assertEquals(18 * scale * scale, dark, "g has 18 pixels");
        assertTrue(descender > 0, "g's descender is drawn too");
        assertEquals(2 * BitmapFont.ADVANCE * scale - scale, BitmapFont.width("xg", scale));
        assertEquals(0, BitmapFont.width("", 2));
    }
}
