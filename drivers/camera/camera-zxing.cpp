// SPDX-License-Identifier: GPL-3.0-or-later
// Thin extern "C" shim over ZXing-C++ 1.4 (Debian ships no C header).
// Keep logic out of here: the C side (camera-barcode.c) decides what to try.

#define ZX_USE_UTF8 1

#include <cstdlib>
#include <cstring>
#include <exception>

#include <ZXing/ReadBarcode.h>

#include "camera-zxing.h"

static char *
dup_string (const std::string &s)
{
  char *p = static_cast<char *> (std::malloc (s.size () + 1));
  if (p)
    std::memcpy (p, s.c_str (), s.size () + 1);
  return p;
}

extern "C" int
kiosk_zx_decode (const uint8_t *data, int width, int height, int stride, int channels, unsigned formats, unsigned flags,
                 KioskZxResult **results, char **error_message)
{
  *results = nullptr;
  if (error_message)
    *error_message = nullptr;
  try
    {
      ZXing::BarcodeFormats f;
      if (formats & KIOSK_ZX_QR_CODE)
        f |= ZXing::BarcodeFormat::QRCode;
      if (formats & KIOSK_ZX_DATA_MATRIX)
        f |= ZXing::BarcodeFormat::DataMatrix;
      if (formats & KIOSK_ZX_PDF417)
        f |= ZXing::BarcodeFormat::PDF417;

      ZXing::DecodeHints hints;
      hints.setTryHarder ((flags & KIOSK_ZX_TRY_HARDER) != 0);
      hints.setTryRotate ((flags & KIOSK_ZX_TRY_ROTATE) != 0);
      hints.setTryDownscale ((flags & KIOSK_ZX_NO_DOWNSCALE) == 0);
      switch ((flags >> KIOSK_ZX_BINARIZER_SHIFT) & 3)
        {
        case KIOSK_ZX_BINARIZER_GLOBAL:
          hints.setBinarizer (ZXing::Binarizer::GlobalHistogram);
          break;
        case KIOSK_ZX_BINARIZER_FIXED:
          hints.setBinarizer (ZXing::Binarizer::FixedThreshold);
          break;
        default:
          hints.setBinarizer (ZXing::Binarizer::LocalAverage);
        }
      hints.setMaxNumberOfSymbols (16);

      ZXing::ImageView view (data, width, height, channels == 3 ? ZXing::ImageFormat::RGB : ZXing::ImageFormat::Lum,
                             stride);
      ZXing::Results found;
      if (!f.empty ())
        {
          hints.setFormats (f);
          found = ZXing::ReadBarcodes (view, hints);
        }
      /* ZXing 1.4 asserts (Result::operator==, "lineCount() == 1": an
       * abort, Debian builds it with assertions) when a 1-D code read on
       * several lines is met again: in its reduced copy (tryDownscale) or
       * as a second symbol. 1-D codes are therefore read apart, one
       * symbol, on the image as given. */
      if (formats & KIOSK_ZX_CODE128)
        {
          hints.setFormats (ZXing::BarcodeFormat::Code128);
          hints.setTryDownscale (false);
          hints.setMaxNumberOfSymbols (1);
          for (auto &r : ZXing::ReadBarcodes (view, hints))
            found.push_back (std::move (r));
        }
      int n = 0;
      for (const auto &r : found)
        if (r.isValid ())
          n++;
      if (n == 0)
        return 0;
      KioskZxResult *out = static_cast<KioskZxResult *> (std::calloc (n, sizeof (KioskZxResult)));
      if (!out)
        throw std::bad_alloc ();
      int i = 0;
      for (const auto &r : found)
        {
          if (!r.isValid ())
            continue;
          out[i].format = dup_string (ZXing::ToString (r.format ()));
          out[i].text = dup_string (r.text ());
          const auto &pos = r.position ();
          for (int k = 0; k < 4; k++)
            {
              out[i].corners[2 * k] = pos[k].x;
              out[i].corners[2 * k + 1] = pos[k].y;
            }
          i++;
        }
      *results = out;
      return n;
  } catch (const std::exception &e)
    {
      if (error_message)
        *error_message = dup_string (e.what ());
      return -1;
  } catch (...)
    {
      if (error_message)
        *error_message = dup_string ("unknown exception");
      return -1;
  }
}

extern "C" void
kiosk_zx_results_free (KioskZxResult *results, int n)
{
  for (int i = 0; i < n; i++)
    {
      std::free (results[i].format);
      std::free (results[i].text);
    }
  std::free (results);
}

/* The module's one exported symbol (everything else is hidden). */
extern "C" __attribute__ ((visibility ("default"))) const KioskZxApi *
kiosk_zx_module (void)
{
  static const KioskZxApi api = { KIOSK_ZX_API_VERSION, kiosk_zx_decode, kiosk_zx_results_free };
  return &api;
}
