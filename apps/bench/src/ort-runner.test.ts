import { describe, expect, it } from 'vitest';
import { describeOrtFailure } from './ort-runner.js';

describe('describeOrtFailure', () => {
  it('keeps the message of a native ORT error, dropping the source path and C++ signature', () => {
    const native = new Error(
      'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /build/onnxruntime/core/common/safeint.h:17 static void SafeIntExceptionHandler<onnxruntime::OnnxRuntimeException>::SafeIntOnOverflow() Integer overflow',
    );
    expect(describeOrtFailure(native)).toBe('failed to call OrtRun(). Integer overflow (ORT error code 1)');
  });

  it('passes other errors through', () => {
    expect(describeOrtFailure(new TypeError('bad input'))).toBe('TypeError: bad input');
  });
});
