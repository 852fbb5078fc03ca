# Desvio: nunca envia 07 (confirmacao de entrega).
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def confirmar_entrega(self, origem, destinatario, ts, envios):
        pass


if __name__ == "__main__":
    main(Servidor)
