import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdfparser.PDFObjectStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * CVE-2021-31811: PDFBox reads as many "object number, offset" pairs from an object stream as the
 * stream's own /N declares, past the index into the objects, and sizes its list of objects by /N: a
 * small crafted file makes it allocate out of all proportion (OutOfMemoryError). The fix stops at
 * /First and sizes by what it read. Bounded here: /N declares 1001 entries, the index has one, and
 * the object data that follows is numbers (which parse as further pairs). Reported: how many
 * objects the object-stream parser made, and what a PDF whose page refers to the object in such a
 * stream loads as.
 */
public class Probe {
  static final int DECLARED = 1001;

  /** The object stream's bytes: an index of one entry (object 10 at 0), then the data. */
  static String objectStreamData() {
    StringBuilder data = new StringBuilder("10 0 ");
    data.append("0 ");
    for (int i = 1; i < DECLARED; i++) {
      data.append(i + 10).append(' ').append(2 * i).append(' ');
    }
    return data.toString();
  }

  static final int FIRST = "10 0 ".length();

  static String streamObjects() {
    try {
      COSStream stream = new COSStream();
      stream.setItem(COSName.N, COSInteger.get(DECLARED));
      stream.setItem(COSName.FIRST, COSInteger.get(FIRST));
      try (OutputStream out = stream.createOutputStream()) {
        out.write(objectStreamData().getBytes(StandardCharsets.US_ASCII));
      }
      PDFObjectStreamParser parser = new PDFObjectStreamParser(stream, null);
      parser.parse();
      return String.valueOf(parser.getObjects().size());
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }

  /**
   * A PDF 1.5 file: catalog, pages and page as plain objects, the page's /Rotate (0) in the object
   * stream above, and an xref stream.
   */
  static byte[] pdf() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] offsets = new long[6];
    write(out, "%PDF-1.5\n");
    String[] objects = {
      null,
      "<</Type/Catalog/Pages 2 0 R>>",
      "<</Type/Pages/Kids[3 0 R]/Count 1>>",
      "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Rotate 10 0 R>>",
    };
    for (int i = 1; i <= 3; i++) {
      offsets[i] = out.size();
      write(out, i + " 0 obj\n" + objects[i] + "\nendobj\n");
    }
    String data = objectStreamData();
    offsets[4] = out.size();
    write(
        out,
        "4 0 obj\n<</Type/ObjStm/N "
            + DECLARED
            + "/First "
            + FIRST
            + "/Length "
            + data.length()
            + ">>\nstream\n"
            + data
            + "\nendstream\nendobj\n");
    offsets[5] = out.size();
    ByteArrayOutputStream xref = new ByteArrayOutputStream();
    entry(xref, 0, 0, 65535);
    for (int i = 1; i <= 5; i++) {
      entry(xref, 1, offsets[i], 0);
    }
    entry(xref, 2, 4, 0); // object 10: in object stream 4, index 0
    write(
        out,
        "5 0 obj\n<</Type/XRef/Size 11/Index[0 6 10 1]/W[1 4 2]/Root 1 0 R/Length "
            + xref.size()
            + ">>\nstream\n");
    out.write(xref.toByteArray());
    write(out, "\nendstream\nendobj\nstartxref\n" + offsets[5] + "\n%%EOF\n");
    return out.toByteArray();
  }

  static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  static void entry(ByteArrayOutputStream xref, int type, long field2, int field3) {
    xref.write(type);
    for (int shift = 24; shift >= 0; shift -= 8) {
      xref.write((int) (field2 >> shift));
    }
    xref.write(field3 >> 8);
    xref.write(field3);
  }

  static String rotate(byte[] file) {
    try (PDDocument document = PDDocument.load(file)) {
      COSBase rotate = document.getPage(0).getCOSObject().getDictionaryObject(COSName.ROTATE);
      return String.valueOf(
          rotate instanceof COSInteger ? ((COSInteger) rotate).intValue() : rotate);
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }

  static String probe() throws IOException {
    return "streamObjects=" + streamObjects() + " pageRotate=" + rotate(pdf());
  }

  public static void main(String[] args) throws Exception {
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}
