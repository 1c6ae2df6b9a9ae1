package dev.lenet5.app.report;

/**
 * The pictures' one typeface: 5x7 pixel glyphs (with two rows below the baseline for descenders) for printable
 * ASCII, drawn for these pictures. A bitmap font needs no font files, rasteriser or desktop classes, and it draws
 * the same pixels on every JVM, which the tests rely on. The glyphs as pictures are in the test resource
 * {@code glyphs.txt}; {@code BitmapFontTest} checks that this table encodes them.
 */
final class BitmapFont {

    /** Pixels per glyph across; the advance adds one blank column. */
    static final int GLYPH_WIDTH = 5;
    static final int ADVANCE = GLYPH_WIDTH + 1;
    /** Rows from the top of a capital to the baseline. */
    static final int CAP_HEIGHT = 7;
    /** All rows of a glyph: the capital's 7 and 2 for the descenders of g, j, p, q, y and the comma. */
    static final int ROWS = 9;

    private static final char FIRST = ' ';
    private static final char LAST = '~';

    /**
     * One glyph per character from space to tilde: row r (0 at the top) is bits {@code 5*(8-r)} to
     * {@code 5*(8-r)+4}, the leftmost pixel the highest bit, so the hex digits read from the top row down.
     */
    private static final long[] GLYPHS = {
            0x000000000000L, 0x042108401000L, 0x0A5280000000L, 0x0A57D5F52800L, // space ! " #
            0x047D1C5F1000L, 0x18C888898C00L, 0x0C9511593400L, 0x042200000000L, // $ % & '
            0x022210820800L, 0x082084222000L, 0x00255D520000L, 0x00213E420000L, // ( ) * +
            0x000000063088L, 0x00001C000000L, 0x000000063000L, 0x000888880000L, // , - . /
            0x0E8CEB98B800L, 0x046108423800L, 0x0E8844447C00L, 0x1F110418B800L, // 0 1 2 3
            0x0232A5F10800L, 0x1F878218B800L, 0x06443D18B800L, 0x1F0888842000L, // 4 5 6 7
            0x0E8C5D18B800L, 0x0E8C5E113000L, 0x006300C60000L, 0x006300C61100L, // 8 9 : ;
            0x022220820800L, 0x0007C1F00000L, 0x082082222000L, 0x0E8844401000L, // < = > ?
            0x0E885B5AB800L, 0x0E8C7F18C400L, 0x1E8C7D18F800L, 0x0E8C2108B800L, // @ A B C
            0x1C9463197000L, 0x1F843D087C00L, 0x1F843D084000L, 0x0E8C2F18BC00L, // D E F G
            0x118C7F18C400L, 0x0E2108423800L, 0x071084293000L, 0x119531494400L, // H I J K
            0x108421087C00L, 0x11DD6B18C400L, 0x118E6B38C400L, 0x0E8C6318B800L, // L M N O
            0x1E8C7D084000L, 0x0E8C63593400L, 0x1E8C7D494400L, 0x0F841C10F800L, // P Q R S
            0x1F2108421000L, 0x118C6318B800L, 0x118C63151000L, 0x118C6B5AA800L, // T U V W
            0x118A88A8C400L, 0x118A88421000L, 0x1F0888887C00L, 0x0E4210843800L, // X Y Z [
            0x008208208000L, 0x0E1084213800L, 0x045440000000L, 0x0000000003E0L, // \ ] ^ _
            0x082080000000L, 0x000382F8BC00L, 0x1085B318F800L, 0x0003A108B800L, // ` a b c
            0x010B6718BC00L, 0x0003A3F83800L, 0x064A38842000L, 0x0003E318BC2EL, // d e f g
            0x1085B318C400L, 0x040308423800L, 0x020184210A4CL, 0x1084A98A4800L, // h i j k
            0x0C2108423800L, 0x0006AB5AD400L, 0x0005B318C400L, 0x0003A318B800L, // l m n o
            0x0007A318FA10L, 0x0003E318BC21L, 0x0005B3084000L, 0x0003E0E0F800L, // p q r s
            0x084710849800L, 0x00046319B400L, 0x000463151000L, 0x0004635AA800L, // t u v w
            0x000454454400L, 0x00046318BC2EL, 0x0007C4447C00L, 0x022110420800L, // x y z {
            0x042108421000L, 0x082104422000L, 0x00022A200000L,                  // | } ~
    };

    private BitmapFont() {
    }

    /** The glyph of {@code c}; characters outside printable ASCII draw as a question mark. */
    static long glyph(char c) {
        return GLYPHS[(c < FIRST || c > LAST ? '?' : c) - FIRST];
    }

    /** Whether the glyph has its pixel at {@code row} (0..8, top down) and {@code col} (0..4, left to right). */
    static boolean pixel(long glyph, int row, int col) {
        return (glyph >>> (GLYPH_WIDTH * (ROWS - 1 - row) + GLYPH_WIDTH - 1 - col) & 1) != 0;
    }

    /** Pixels across {@code text} at {@code scale}, without the blank column after the last glyph. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }
}
