# Desvio: recv(256), o tamanho de 2+13+13+10+218. Um 05 com 218 caracteres
# de mais de um byte (218 x "e" acentuado = 436 bytes) chega em pedacos, e
# cada pedaco e tratado como uma mensagem.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    TAMANHO_RECV = 256


if __name__ == "__main__":
    main(Servidor)
