"""Face engines behind one small interface (`proctor.faces.protocol.FaceEngine`).

Nothing here loads a model at import time. The public face API is in `face_api`:

    from proctor.models.face_api import load_image, create_engine, verify
"""
